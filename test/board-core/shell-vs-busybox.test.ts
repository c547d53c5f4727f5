import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VirtualBoardHandle } from '@board/board'
import { hasTool, startBoard } from './harness'

const busybox = hasTool('busybox')

const CASES: [string, string][] = [
  ['echo escapes', 'echo -e "a\\tb\\x41\\101\\n"; echo -n x; echo $?; echo -e "stop\\cnever"; echo'],
  ['echo options', 'echo -n -e "x\\ty"; echo; echo -- -n; echo -z'],
  ['printf', "printf '%s-%d|%5s|%-3s|%x|%o|%c\\n' a 42 b c 255 8 xyz; printf '%s\\n' one two three"],
  ['printf octal escapes', "printf '\\101\\102\\012\\0101x\\n' | md5sum; printf '%b\\n' 'x\\101y\\0101z'"],
  ['colon builtin', ': && echo yes; : ignored args; echo $?; while :; do echo once; break; done'],
  ['arithmetic', 'x=5; y=$((x*3+1)); echo $y $((y%4)) $((10/3)) $((1<2)) $((3==3)) $((5&3)) $((-x)) $(( (2+3)*4 ))'],
  ['positional', 'set -- a "b c" d; echo $#; for i in "$@"; do echo "[$i]"; done; for i in $*; do echo "<$i>"; done; shift; echo $1'],
  ['functions', 'f() { echo "f:$1:$#"; return 3; }; f x y; echo $?'],
  ['case', 'for w in abc xyz "a b" 12; do case $w in a*) echo A;; x|y*) echo XY;; [0-9]*) echo NUM;; *) echo other;; esac; done'],
  ['if elif else', 'if [ 1 -eq 2 ]; then echo y; elif [ a = a ]; then echo elif; else echo n; fi; if false; then :; else echo else; fi'],
  ['while until break continue', 'i=0; while [ $i -lt 5 ]; do i=$((i+1)); [ $i -eq 2 ] && continue; [ $i -eq 4 ] && break; echo $i; done; until false; do echo once; break; done'],
  ['command substitution', 'echo $(echo inner; echo two) `echo back`; x=$(printf "a\\n\\n\\n"); echo "[$x]"'],
  ['field splitting', 'x="a   b"; echo $x; echo "$x"; y=""; echo [$y] ["$y"]'],
  ['here-documents', 'v=val\ncat <<EOF\n$v ${v}x $(echo sub) \\$v\nEOF\ncat <<\'EOF\'\n$v `x`\nEOF\ncat <<-EOF\n\tindented $v\n\tEOF'],
  ['not found', 'nosuchcmd; echo $?; /no/such/path; echo $?'],
  ['test errors', 'test 1 -eq a; echo $?; [ -z "" ]; echo $?; [ -n "" ]; echo $?; [ ! -e /no ]; echo $?; [ abc != abd ]; echo $?'],
  ['expr', 'busybox expr 3 \\* 4; busybox expr 7 / 2; busybox expr 1 + a; echo $?; busybox expr 0; echo $?; busybox expr 5 \\> 3'],
  ['and or', 'echo a || echo b && echo c; false && echo x || echo y; true || false; echo $?'],
  ['quoting', 'echo \'single $x\' "dq \\$x \\\\ \\"" back\\ slash \'\'"" end; echo "a"\'b\'c'],
  ['subshell and groups', '(exit 4); echo $?; (x=inner); echo "[$x]"; { echo g1; echo g2; }; ! true; echo $?'],
  ['parameter operators', 'v=val; echo ${u:-def} ${#v} ${v%l} ${v#v} ${u-unset} ${v:+alt} "${u:=set}" $u; unset u; echo "[${u}]"'],
  ['continuation', 'echo one\\\ntwo; echo "multi\nline"'],
  ['redirect errors', 'echo x > /nonexistent/dir/f; echo $?; read x < /nonexist; echo $?'],
  ['stderr redirect', 'echo err 1>&2; echo out 2>&1; nosuch 2>/dev/null; echo $?; echo both > /dev/null 2>&1'],
  ['exit status of pipeline', 'false | true; echo $?; true | false; echo $?'],
  ['syntax error', 'if true; then echo x'],
  ['syntax error unexpected', 'echo a; fi'],
  ['read builtin', 'printf "one two three\\n" | { read a b; echo "$a|$b"; }'],
  ['export and env', 'export FOO=bar; sh -c \'echo $FOO\'; BAR=baz sh -c \'echo $BAR\'; echo "[$BAR]"'],
  ['applet errors', 'for c in "cat /nope" "rm /nope" "mkdir /nope/x" "mv /nope /nope2" "head -n 1 /nope" "chmod +x /nope" "md5sum /nope" "wc /nope" "cp /nope /nope2" "touch /nope/x" "killall nosuchproc" "ls /nope" "base64 /nope" "zcat /nope"; do busybox $c; echo "$c -> $?"; done'],
  ['applet outputs', 'printf "a b\nc\n" | busybox wc; printf "a\nb\nc\n" | busybox head -n 2; printf "a\nb\nc\n" | busybox tail -n 1; printf "hello\n" | busybox md5sum; printf "hi" | busybox base64; echo aGk= | busybox base64 -d; echo; printf "x1\ny2\nx3\n" | busybox grep -n x; printf "a\n" | busybox grep -c z; echo $?'],
  ['cut tr sort', 'printf "b:2\\na:1\\nc:3\\n" | busybox sort; printf "b:2\\na:1\\n" | busybox cut -d: -f2; echo hello | busybox cut -c2-4; echo hello | busybox tr a-z A-Z; echo hello | busybox tr -d l; printf "10\\n9\\n100\\n" | busybox sort -n -r'],
  ['printf keeps argument backslashes', 'printf "%s|%b\\n" "a\\nb" "c\\td"'],
  ['loop over words with globbing off', 'for f in no-such-*.txt; do echo "$f"; done'],
]

function busyboxSh(script: string, cwd: string): { stdout: string; stderr: string; status: number } {
  const r = spawnSync('busybox', ['sh', '-c', script], { cwd, encoding: 'latin1', env: { PATH: '/usr/bin:/bin', HOME: '/root' } })
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 }
}

describe('shell interpreter (in-process) compared with the real BusyBox ash', () => {
  let board: VirtualBoardHandle
  beforeAll(async () => {
    board = (await startBoard()).board
    await board.whenReady()
  })
  afterAll(() => board?.close())

  async function ours(script: string): Promise<{ stdout: string; stderr: string; status: number }> {
    let stdout = ''
    let stderr = ''
    const status = await board.services.exec(script, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
    return { stdout, stderr, status }
  }

  it.each(CASES)('%s', async (_name, script) => {
    const mine = await ours(script)
    expect(mine.stderr).not.toContain('internal error')
    if (!busybox) return
    const real = busyboxSh(script, '/')
    expect(mine).toEqual(real)
  })

  it('pins key outputs independently of the host busybox', async () => {
    expect(await ours('nosuch; echo $?')).toEqual({ stdout: '127\n', stderr: 'sh: nosuch: not found\n', status: 0 })
    expect((await ours('echo -e "A\\x42\\103"')).stdout).toBe('ABC\n')
    expect((await ours('echo x > /nonexistent/f')).stderr).toBe("sh: can't create /nonexistent/f: nonexistent directory\n")
    expect((await ours('cat < /nope')).stderr).toBe("sh: can't open /nope: no such file\n")
    expect((await ours('exit 7')).status).toBe(7)
    expect((await ours('if true; then')).stderr).toBe('sh: syntax error: unexpected end of file (expecting "fi")\n')
  })
})
