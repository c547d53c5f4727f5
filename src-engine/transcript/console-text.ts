/** Streaming cleaner for console text: strips ANSI escapes and CR, and lifts kernel lines into their own channel. */

/** A kernel console line's time stamp, e.g. `[  123.456789] `. */
export const KERNEL_STAMP = /\[\s*\d+\.\d{6}\]/

const STAMP_AT = /\[\s*\d+\.\d{6}\] ?/y
const STAMP_PREFIX = /^\[\s*\d*(\.\d{0,6})?$/
const ESCAPE_AT = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[P^_][^\x1b]*\x1b\\|[ -/]*[0-OQ-Z\\`-~])/y
const ESCAPE_PREFIX = /^\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*\x1b?|[P^_][^\x1b]*\x1b?|[ -/]*)$/
const MAX_HELD = 256
const MAX_KERNEL_LINE = 4096

/** What one push of text produced: cleaned output and complete kernel lines (without CR/LF), and both in arrival order. */
export interface CleanedText {
  text: string
  kernel: string[]
  segments: { kind: 'text' | 'kernel'; text: string }[]
}

/** Options of the cleaner. */
export interface ConsoleTextOptions {
  /** Kernel-stamped lines that start a line stay in the text (for `dmesg` output); spliced ones are still lifted. */
  keepLineStartKernel?: boolean
}

/** Cleans console text chunk by chunk; trusts nothing about where chunks split. */
export class ConsoleTextCleaner {
  private held = ''
  private kernelLine: string | null = null
  private atLineStart = true
  keepLineStartKernel: boolean
  /** CR stays in the text (a modem's lines end in CR: an echoed command with no answer yet is a whole line). */
  keepCarriageReturn = false

  constructor(options: ConsoleTextOptions = {}) {
    this.keepLineStartKernel = options.keepLineStartKernel ?? false
  }

  /** Feeds decoded text; returns what is certain so far and holds back a possibly incomplete tail. */
  push(chunk: string): CleanedText {
    const s = this.held + chunk
    this.held = ''
    const out: string[] = []
    const kernel: string[] = []
    const segments: CleanedText['segments'] = []
    let segmentStart = 0
    const cut = () => {
      if (out.length > segmentStart) segments.push({ kind: 'text', text: out.slice(segmentStart).join('') })
      segmentStart = out.length
    }
    let i = 0
    while (i < s.length) {
      const c = s[i]
      if (this.kernelLine !== null) {
        if (c === '\n' || this.kernelLine.length >= MAX_KERNEL_LINE) {
          cut()
          kernel.push(this.kernelLine.trimEnd())
          segments.push({ kind: 'kernel', text: this.kernelLine.trimEnd() })
          this.kernelLine = null
          if (c === '\n') i++
          continue
        }
        if (c === '\x1b') {
          const skip = this.matchEscape(s, i)
          if (skip === -1) return this.hold(s, i, out, kernel, segments, cut)
          i += skip
          continue
        }
        if (c !== '\r' && c >= ' ') this.kernelLine += c
        else if (c === '\t') this.kernelLine += c
        i++
        continue
      }
      if (c === '\x1b') {
        const skip = this.matchEscape(s, i)
        if (skip === -1) return this.hold(s, i, out, kernel, segments, cut)
        i += skip
        continue
      }
      if (c === '[') {
        STAMP_AT.lastIndex = i
        const m = STAMP_AT.exec(s)
        if (m && !(this.keepLineStartKernel && this.atLineStart)) {
          this.kernelLine = m[0]
          i += m[0].length
          continue
        }
        if (!m && STAMP_PREFIX.test(s.slice(i)) && s.length - i < MAX_HELD) return this.hold(s, i, out, kernel, segments, cut)
      }
      if (c === '\n') {
        out.push(c)
        this.atLineStart = true
      } else if (c === '\t' || c >= ' ' || (c === '\r' && this.keepCarriageReturn)) {
        out.push(c)
        this.atLineStart = false
      }
      i++
    }
    cut()
    return { text: out.join(''), kernel, segments }
  }

  /** Releases everything held back (call when the line has been quiet); a partial kernel line is emitted. */
  flush(): CleanedText {
    const held = this.held
    this.held = ''
    const kernel: string[] = []
    let text = ''
    const segments: CleanedText['segments'] = []
    if (this.kernelLine !== null) {
      this.kernelLine += held.replace(/[\x00-\x08\x0a-\x1f]/g, '')
      kernel.push(this.kernelLine.trimEnd())
      segments.push({ kind: 'kernel', text: this.kernelLine.trimEnd() })
      this.kernelLine = null
    } else {
      text = held.replace(/\x1b/g, '').replace(/[\x00-\x08\x0b-\x1f]/g, '')
      if (text) {
        this.atLineStart = text.endsWith('\n')
        segments.push({ kind: 'text', text })
      }
    }
    return { text, kernel, segments }
  }

  /** True when a tail is being held back or a kernel line is open. */
  get pending(): boolean {
    return this.held.length > 0 || this.kernelLine !== null
  }

  private matchEscape(s: string, i: number): number {
    ESCAPE_AT.lastIndex = i
    const m = ESCAPE_AT.exec(s)
    if (m) return m[0].length
    const rest = s.slice(i)
    if (ESCAPE_PREFIX.test(rest) && rest.length < MAX_HELD) return -1
    return 1
  }

  private hold(s: string, i: number, out: string[], kernel: string[], segments: CleanedText['segments'], cut: () => void): CleanedText {
    this.held = s.slice(i)
    cut()
    return { text: out.join(''), kernel, segments }
  }
}
