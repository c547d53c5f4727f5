import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { main } from '../../src-cli/main'
import { checkKernelConfig, parseKernelConfig } from '@engine/parsers/kernel-config'
import { OPTION_C_ENTRY, OPTION_C_PATH } from '@engine/sdk-overlay/index'
import { connect } from '@engine/console'
import { buildPlan, Checklist, checklistBoardFor } from '@engine/checklist/index'
import { loadProfileFile } from '@engine/profile/index'

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0

async function runCli(args: string[], cwd: string) {
  let stdout = ''
  let stderr = ''
  const io = {
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    env: process.env,
    cwd,
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

function overlay(extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'k230-overlay-'))
  return runCli(['sdk-overlay', '--out', 'ovl', ...extra], dir).then((r) => ({ ...r, out: join(dir, 'ovl'), dir }))
}

/** Every regular file under `dir`, as full paths. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
}

const PPP_ROOT = 'board/common/post_copy_rootfs/etc/ppp'
const SCRIPTS = ['ip-up', 'quectel-pppd.sh', 'quectel-ppp-kill']

describe('k230-bringup sdk-overlay', () => {
  it('writes the kernel fragment, the option.c patch, the buildroot fragment, the PPP files and a README', async () => {
    const r = await overlay()
    expect(r.code).toBe(0)
    for (const p of ['README.md', 'kernel/k230-ec200a.config', 'kernel/0001-option-add-quectel-ec200a.patch', 'buildroot/k230-ec200a.defconfig']) {
      expect(statSync(join(r.out, p)).size).toBeGreaterThan(0)
    }
    for (const name of ['ip-up', 'peers/quectel-pppd', 'peers/quectel-chat-connect', 'peers/quectel-chat-disconnect', 'quectel-pppd.sh', 'quectel-ppp-kill']) {
      const st = statSync(join(r.out, PPP_ROOT, name))
      expect(st.mode & 0o777, name).toBe(0o755)
      expect(r.stdout).toContain(`${PPP_ROOT}/${name}`)
    }
    const readme = readFileSync(join(r.out, 'README.md'), 'utf8')
    expect(readme).toContain('patch -p1')
    expect(readme).toContain('make buildroot-savedefconfig')
    expect(readme).toContain('new_id')
    expect(readFileSync(join(r.out, 'buildroot/k230-ec200a.defconfig'), 'utf8')).toMatch(/^BR2_PACKAGE_PPPD=y$/m)
  })

  it('writes a kernel fragment that the checklist’s own kernel-config check accepts', async () => {
    const r = await overlay()
    const parsed = parseKernelConfig(readFileSync(join(r.out, 'kernel/k230-ec200a.config'), 'utf8'))
    const check = checkKernelConfig(parsed.value)
    expect(check.groups.every((g) => g.ok)).toBe(true)
    expect(parsed.value.get('CONFIG_USB_SERIAL_OPTION')?.kind).toBe('y')
    expect(parsed.value.get('CONFIG_USB_NET_RNDIS_HOST')?.kind).toBe('y')
  })

  it.skipIf(!has('patch'))('writes an option.c patch that applies to the kernel source and adds the 2c7c:6005 entry to option_ids[]', async () => {
    const r = await overlay()
    const sdk = mkdtempSync(join(tmpdir(), 'k230-sdk-'))
    const optionC = join(sdk, OPTION_C_PATH)
    mkdirSync(dirname(optionC), { recursive: true })
    const original = [
      ...Array.from({ length: 580 }, (_, i) => `/* line ${i + 1} */`),
      'static const struct usb_device_id option_ids[] = {',
      '\t{ USB_DEVICE(OPTION_VENDOR_ID, OPTION_PRODUCT_COLT) },',
      '\t{ USB_DEVICE(OPTION_VENDOR_ID, OPTION_PRODUCT_RICOLA) },',
      '\t{ } /* Terminating entry */',
      '};',
      '',
    ].join('\n')
    writeFileSync(optionC, original)
    const applied = spawnSync('patch', ['-p1', '-i', join(r.out, 'kernel/0001-option-add-quectel-ec200a.patch')], { cwd: sdk, encoding: 'utf8' })
    expect(applied.stderr + applied.stdout).not.toMatch(/FAILED|malformed/)
    expect(applied.status).toBe(0)
    const patched = readFileSync(optionC, 'utf8').split('\n')
    const at = patched.indexOf('static const struct usb_device_id option_ids[] = {')
    expect(patched[at + 1]).toContain(OPTION_C_ENTRY)
  })

  it.skipIf(!has('busybox'))('writes shell scripts that pass `sh -n` under real BusyBox', async () => {
    const r = await overlay()
    for (const name of SCRIPTS) {
      const check = spawnSync('busybox', ['sh', '-n', join(r.out, PPP_ROOT, name)], { encoding: 'utf8' })
      expect(check.stderr, name).toBe('')
      expect(check.status, name).toBe(0)
    }
  })

  it.skipIf(!has('shellcheck'))('writes shell scripts that pass shellcheck (warnings and errors)', async () => {
    const r = await overlay()
    const check = spawnSync('shellcheck', ['-s', 'sh', '-S', 'warning', '-f', 'gcc', ...SCRIPTS.map((n) => join(r.out, PPP_ROOT, n))], { encoding: 'utf8' })
    expect(check.stdout).toBe('')
    expect(check.status).toBe(0)
  })

  it('writes PPP files byte-identical to what the ppp-config step pushes onto a board for the same profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-profile-'))
    writeFileSync(join(dir, 'line7.yaml'), 'apn: CMNET\nuser: line7\npassword: "s3cret pass"\n')
    const r = await runCli(['sdk-overlay', '--out', 'ovl', '--profile', 'line7.yaml'], dir)
    expect(r.code).toBe(0)
    const rootfs = join(dir, 'ovl', 'board/common/post_copy_rootfs')
    const overlayFiles = filesUnder(join(rootfs, 'etc/ppp')).map((f) => f.slice(rootfs.length))

    const profile = loadProfileFile(join(dir, 'line7.yaml'))
    const board = await connect({ sim: { scenario: 'healthy', timeScale: 0.01 }, secrets: [profile.password] })
    try {
      const steps = buildPlan(profile).filter((s) => s.id === 'console' || s.id === 'ppp-config')
      const run = new Checklist({ board: checklistBoardFor(board, 0.01), profile, steps, appVersion: 'test' })
      await run.run()
      expect(run.record.steps.map((s) => s.verdict)).toEqual(['pass', 'pass'])
      const pushed = (run.record.steps[1].attempts[0].evidence.commands ?? []).filter((c) => c.startsWith('push ')).map((c) => c.slice(5))
      expect(pushed).toHaveLength(6)
      expect(overlayFiles.sort()).toEqual([...pushed].sort())
      for (const path of pushed) {
        const onBoard = await board.session.run(`base64 ${path}; [ -x ${path} ] && echo EXECUTABLE || echo PLAIN`)
        const lines = onBoard.output.replace(/\r/g, '').trim().split('\n')
        const executable = lines.pop() === 'EXECUTABLE'
        const inOverlay = join(rootfs, path)
        expect(readFileSync(inOverlay).equals(Buffer.from(lines.join(''), 'base64')), path).toBe(true)
        expect((statSync(inOverlay).mode & 0o111) !== 0, `${path} executable`).toBe(executable)
      }
    } finally {
      await board.close()
    }
  }, 60_000)

  it('refuses a bad profile with a message naming the field, and a missing --out with the usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-profile-'))
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ apn: 42 }))
    const bad = await runCli(['sdk-overlay', '--out', 'ovl', '--profile', 'bad.json'], dir)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('apn')
    const usage = await runCli(['sdk-overlay'], dir)
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--out DIR is required')
  })
})
