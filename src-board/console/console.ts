import type { TtyControl } from '../commands/core/deps'
import { ByteStream } from '../shell/streams'

/** What reading a command line gave: a line, Ctrl-C, or Ctrl-D on an empty line. */
export type LineResult = { kind: 'line'; text: string } | { kind: 'interrupt' } | { kind: 'eof' }

/** BusyBox lineedit's cap (FEATURE_EDITING_MAX_LEN 1024, minus the char and EOL it reserves). */
export const LINEEDIT_MAX_CHARS = 1022
/** N_TTY canonical buffer: 4095 characters plus the newline. */
export const CANONICAL_MAX_CHARS = 4095

const encoder = new TextEncoder()
const decoder = new TextDecoder()

interface Editor {
  buf: number[]
  col: number
  esc: 0 | 1 | 2
  fgets: boolean
  echo: boolean
  resolve: (r: LineResult) => void
}

interface Foreground {
  stdin: ByteStream
  raw: boolean
  canon: number[]
  onInterrupt: () => void
}

/** Converts output newlines to CRLF as the tty's ONLCR does (every LF, even after CR). */
export function onlcr(data: string | Uint8Array): Uint8Array {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data
  let lf = 0
  for (const b of bytes) if (b === 10) lf++
  if (lf === 0) return bytes
  const out = new Uint8Array(bytes.length + lf)
  let j = 0
  for (const b of bytes) {
    if (b === 10) out[j++] = 13
    out[j++] = b
  }
  return out
}

function visibleWidth(prompt: string): number {
  const plain = prompt.replace(/\x1b\[[0-9;?]*[@-~]/g, '')
  const lastLine = plain.slice(plain.lastIndexOf('\n') + 1)
  return [...lastLine].length
}

/** The board's serial console: BusyBox lineedit when reading commands, N_TTY for running commands, CRLF output; trusts emit() to carry bytes to the host. */
export class BoardConsole {
  readonly tty: TtyControl
  private typeahead: number[] = []
  private editor: Editor | null = null
  private fg: Foreground | null = null

  constructor(
    private readonly emit: (bytes: Uint8Array, urgent?: boolean) => void,
    baud: number,
  ) {
    this.tty = { echo: true, cols: 0, rows: 0, baud }
  }

  /** Prints command output (LF becomes CRLF, except in raw mode, where OPOST is off). */
  print(data: string | Uint8Array): void {
    this.emit(this.fg?.raw ? (typeof data === 'string' ? encoder.encode(data) : data) : onlcr(data))
  }

  /** Prints a kernel console line: it goes out next, ahead of queued tty output, so it may split a line. */
  printKernel(line: string): void {
    this.emit(encoder.encode(line + '\r\n'), true)
  }

  /** Prints bytes exactly as given. */
  printRaw(data: string | Uint8Array): void {
    this.emit(typeof data === 'string' ? encoder.encode(data) : data)
  }

  /** Forgets typed-ahead input and any reader (power loss). */
  reset(): void {
    this.typeahead = []
    this.editor?.resolve({ kind: 'eof' })
    this.editor = null
    this.fg = null
    this.tty.echo = true
    this.tty.cols = 0
    this.tty.rows = 0
  }

  /** Bytes typed on the host side of the line. */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (b === 3 && this.fg && !this.fg.raw && !this.editor) {
        this.typeahead = []
        this.fg.canon = []
        if (this.tty.echo) this.printRaw('^C')
        this.printRaw('\r\n')
        this.fg.onInterrupt()
        continue
      }
      this.typeahead.push(b)
    }
    this.process()
  }

  /** Prints the prompt and reads one line: lineedit (fgets after `stty -echo`), or canonical/secret for login. */
  readLine(prompt: string, mode: 'lineedit' | 'canonical' | 'secret' = 'lineedit'): Promise<LineResult> {
    return new Promise((resolve) => {
      const fgets = mode !== 'lineedit' || !this.tty.echo
      const echo = mode === 'canonical' && this.tty.echo
      this.printRaw(prompt.replace(/\n/g, '\r\n'))
      if (!fgets) this.printRaw('\x1b[6n')
      this.editor = { buf: [], col: visibleWidth(prompt) % this.width(), esc: 0, fgets, echo, resolve }
      this.process()
    })
  }

  /** Starts a foreground command: returns its tty stdin; Ctrl-C calls onInterrupt. */
  beginForeground(onInterrupt: () => void): { stdin: ByteStream; setRaw: (raw: boolean, flush?: boolean) => void } {
    const stdin = new ByteStream()
    const fg: Foreground = { stdin, raw: false, canon: [], onInterrupt }
    stdin.onDemand = () => this.process()
    this.fg = fg
    return {
      stdin,
      setRaw: (raw, flush = false) => {
        fg.raw = raw
        if (flush) {
          this.typeahead = []
          fg.canon = []
        }
      },
    }
  }

  /** Ends the foreground command; unread typed bytes stay for the next prompt. */
  endForeground(): void {
    if (this.fg) {
      this.typeahead.unshift(...this.fg.canon)
      this.fg.stdin.end()
    }
    this.fg = null
  }

  private width(): number {
    return this.tty.cols > 0 ? this.tty.cols : 80
  }

  private process(): void {
    while (this.typeahead.length > 0) {
      if (this.editor) this.editByte(this.editor, this.typeahead.shift() as number)
      else if (this.fg && this.fg.stdin.waiting) this.feedForeground(this.fg, this.typeahead.shift() as number)
      else return
    }
  }

  private feedForeground(fg: Foreground, b: number): void {
    if (fg.raw) {
      fg.stdin.push(Uint8Array.of(b))
      return
    }
    if (b === 4) {
      if (fg.canon.length === 0) fg.stdin.end()
      else this.flushCanon(fg)
      return
    }
    if (b === 0x7f || b === 8) {
      if (fg.canon.length > 0) {
        fg.canon.pop()
        if (this.tty.echo) this.printRaw('\b \b')
      }
      return
    }
    if (b === 13) b = 10
    if (b !== 10 && fg.canon.length >= CANONICAL_MAX_CHARS) return
    fg.canon.push(b)
    if (this.tty.echo) this.emit(onlcr(Uint8Array.of(b)))
    if (b === 10) this.flushCanon(fg)
  }

  private flushCanon(fg: Foreground): void {
    fg.stdin.push(Uint8Array.from(fg.canon))
    fg.canon = []
  }

  private finish(ed: Editor, result: LineResult): void {
    this.editor = null
    ed.resolve(result)
  }

  private editByte(ed: Editor, b: number): void {
    if (ed.fgets) return this.fgetsByte(ed, b)
    if (ed.esc === 1) {
      ed.esc = b === 0x5b || b === 0x4f ? 2 : 0
      return
    }
    if (ed.esc === 2) {
      if (b >= 0x40 && b <= 0x7e) ed.esc = 0
      return
    }
    if (b === 0x1b) {
      ed.esc = 1
      return
    }
    if (b === 13 || b === 10) {
      if (ed.col !== 0) this.printRaw('\r\n')
      return this.finish(ed, { kind: 'line', text: decoder.decode(Uint8Array.from(ed.buf)) })
    }
    if (b === 3) {
      this.printRaw('^C\r\n')
      return this.finish(ed, { kind: 'interrupt' })
    }
    if (b === 4) {
      if (ed.buf.length === 0) {
        this.printRaw('\r\n')
        return this.finish(ed, { kind: 'eof' })
      }
      return
    }
    if (b === 0x7f || b === 8) {
      if (ed.buf.length === 0) return
      ed.buf.pop()
      if (ed.col === 0) {
        ed.col = this.width() - 1
        this.printRaw(`\x1b[A\x1b[${ed.col}C\x1b[J`)
      } else {
        ed.col--
        this.printRaw('\b\x1b[J')
      }
      return
    }
    if (b < 0x20) return
    if (ed.buf.length >= LINEEDIT_MAX_CHARS) return
    ed.buf.push(b)
    this.printRaw(Uint8Array.of(b))
    if ((b & 0xc0) === 0x80) return
    ed.col++
    if (ed.col >= this.width()) {
      this.printRaw('\r\r\n')
      ed.col = 0
    }
  }

  private fgetsByte(ed: Editor, b: number): void {
    if (b === 13 || b === 10) {
      if (ed.echo) this.printRaw('\r\n')
      return this.finish(ed, { kind: 'line', text: decoder.decode(Uint8Array.from(ed.buf)) })
    }
    if (b === 3) {
      this.printRaw(ed.echo ? '^C\r\n' : '\r\n')
      return this.finish(ed, { kind: 'interrupt' })
    }
    if (b === 4) {
      if (ed.buf.length === 0) return this.finish(ed, { kind: 'eof' })
      return
    }
    if (b === 0x7f || b === 8) {
      if (ed.buf.length > 0 && ed.echo) this.printRaw('\b \b')
      ed.buf.pop()
      return
    }
    if (b === 0x15) {
      ed.buf = []
      return
    }
    if (ed.buf.length < CANONICAL_MAX_CHARS) {
      ed.buf.push(b)
      if (ed.echo) this.printRaw(Uint8Array.of(b))
    }
  }
}
