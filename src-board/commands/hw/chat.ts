import type { CommandContext, CommandImpl } from '../../types'
import type { HwContext } from '../../hardware/context'
import { stdinReader, type StdinReader } from './stdin'

const KEYWORDS = new Set([
  'ABORT',
  'CLR_ABORT',
  'REPORT',
  'CLR_REPORT',
  'TIMEOUT',
  'ECHO',
  'HANGUP',
  'SAY',
])

/** Renders a string the way chat's `%v` format does (`\r` as `^M`). */
export function visible(text: string): string {
  let out = ''
  for (const ch of text) {
    const c = ch.charCodeAt(0)
    if (c < 0x20) out += '^' + String.fromCharCode(c + 64)
    else if (c === 0x7f) out += '^?'
    else out += ch
  }
  return out
}

/** chat's clean(): expands `\r \n \s \t \\ \c \N ^X \ddd`; sending strings get a CR unless they end in `\c`. */
export function cleanChatString(text: string, sending: boolean): string {
  let out = ''
  let addReturn = sending
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '^' && i + 1 < text.length) {
      const next = text[++i]
      out += next === '?' ? '\x7f' : String.fromCharCode(next.toUpperCase().charCodeAt(0) & 0x1f)
      continue
    }
    if (ch !== '\\' || i + 1 >= text.length) {
      out += ch
      continue
    }
    const e = text[++i]
    if (/[0-7]/.test(e)) {
      let digits = e
      while (digits.length < 3 && /[0-7]/.test(text[i + 1] ?? '')) digits += text[++i]
      out += String.fromCharCode(parseInt(digits, 8))
      continue
    }
    switch (e) {
      case 'r':
        out += '\r'
        break
      case 'n':
        out += '\n'
        break
      case 's':
        out += ' '
        break
      case 't':
        out += '\t'
        break
      case '\\':
        out += '\\'
        break
      case 'N':
        out += '\0'
        break
      case 'c':
        if (sending && i === text.length - 1) addReturn = false
        else out += '\\c'
        break
      case 'd':
      case 'p':
      case 'K':
        break
      default:
        out += '\\' + e
    }
  }
  return addReturn ? out + '\r' : out
}

/** Splits a chat script file into tokens like chat's do_file(): `#` lines are comments, quotes group words and keep backslashes. */
export function tokenizeChatFile(text: string): string[] {
  const tokens: string[] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue
    let i = 0
    while (i < line.length) {
      const ch = line[i]
      if (ch === ' ' || ch === '\t' || ch === '\r') {
        i++
        continue
      }
      let token = ''
      if (ch === '"' || ch === "'") {
        i++
        while (i < line.length && line[i] !== ch) {
          if (line[i] === '\\' && i + 1 < line.length) token += line[i++]
          token += line[i++]
        }
        i++
      } else {
        while (i < line.length && line[i] !== ' ' && line[i] !== '\t' && line[i] !== '\r') {
          if (line[i] === '\\' && i + 1 < line.length) token += line[i++]
          token += line[i++]
        }
      }
      tokens.push(token)
    }
  }
  return tokens
}

interface Line {
  write(text: string): void
  /** Next received character within `ms` of board time, or null on timeout. */
  readChar(ms: number, signal: AbortSignal): Promise<string | null>
  close(): void
}

class ChatFailure extends Error {
  constructor(readonly code: number) {
    super(`chat failed with ${code}`)
  }
}

/** `chat [-esvSV] [-t SEC] [-f FILE] SCRIPT...`: ppp's chat, talking to pppd's serial line (or the console), with its -v log on stderr under -s. */
export function chatCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    const args = ctx.argv.slice(1)
    let verbose = false
    let toStderr = false
    let timeoutSec = 45
    let file: string | null = null
    let i = 0
    for (; i < args.length && args[i].startsWith('-') && args[i] !== '-'; i++) {
      const a = args[i]
      if (a === '-v') verbose = true
      else if (a === '-s') toStderr = true
      else if (a === '-e' || a === '-E' || a === '-V' || a === '-S') continue
      else if (a === '-t' || a === '-T' || a === '-U' || a === '-r' || a === '-f') {
        const value = args[++i]
        if (value === undefined) return usage(ctx)
        if (a === '-t') timeoutSec = Number(value) || 45
        if (a === '-f') file = value
      } else if (/^-[vs]+$/.test(a)) {
        verbose ||= a.includes('v')
        toStderr ||= a.includes('s')
      } else return usage(ctx)
    }
    const log = (text: string): void => {
      if (verbose && toStderr) ctx.stderr(text + '\n')
    }
    let tokens = args.slice(i)
    if (file !== null) {
      if (tokens.length > 0) return usage(ctx)
      try {
        tokens = tokenizeChatFile(hw.board.fs.readText(file))
      } catch (error) {
        ctx.stderr(
          `${file} -- open failed: ${error instanceof Error ? error.message : String(error)}\n`,
        )
        return 1
      }
    }
    if (tokens.length === 0) return usage(ctx)
    const line = openLine(hw, ctx)
    try {
      await runScript(tokens, line, log, ctx, timeoutSec)
      return 0
    } catch (error) {
      if (error instanceof ChatFailure) return error.code
      if (ctx.signal.aborted) return 130
      throw error
    } finally {
      line.close()
    }
  }
}

function usage(ctx: CommandContext): number {
  ctx.stderr(
    'usage: chat [-e] [-E] [-v] [-V] [-t timeout] [-r report-file] {-f chat-file | chat-script}\n',
  )
  return 1
}

async function runScript(
  tokens: string[],
  line: Line,
  log: (t: string) => void,
  ctx: CommandContext,
  initialTimeout: number,
): Promise<void> {
  const aborts: string[] = []
  let timeoutSec = initialTimeout
  let expecting = true
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]
    if (expecting && KEYWORDS.has(token)) {
      const arg = tokens[++k] ?? ''
      if (token === 'ABORT') {
        const s = cleanChatString(arg, false)
        aborts.push(s)
        log(`abort on (${visible(s)})`)
      } else if (token === 'CLR_ABORT') {
        const idx = aborts.indexOf(cleanChatString(arg, false))
        if (idx >= 0) aborts.splice(idx, 1)
      } else if (token === 'TIMEOUT') {
        timeoutSec = Number(arg) > 0 ? Number(arg) : 45
        log(`timeout set to ${timeoutSec} seconds`)
      } else if (token === 'SAY') ctx.stderr(cleanChatString(arg, false))
      continue
    }
    if (expecting) await expect(token, line, log, aborts, timeoutSec, ctx)
    else send(token, line, log)
    expecting = !expecting
  }
}

function send(token: string, line: Line, log: (t: string) => void): void {
  const text = cleanChatString(token, true)
  log(`send (${visible(text)})`)
  line.write(text)
}

async function expect(
  token: string,
  line: Line,
  log: (t: string) => void,
  aborts: string[],
  timeoutSec: number,
  ctx: CommandContext,
): Promise<void> {
  const parts = token.split('-')
  for (let p = 0; p < parts.length; p += 2) {
    const wanted = cleanChatString(parts[p], false)
    if (wanted === '') return
    log(`expect (${visible(wanted)})`)
    const outcome = await receiveUntil(wanted, line, log, aborts, timeoutSec, ctx)
    if (outcome === 'ok') return
    if (typeof outcome === 'number') {
      log(`Failed (${visible(aborts[outcome - 4])})`)
      throw new ChatFailure(outcome)
    }
    if (p + 1 < parts.length) {
      send(parts[p + 1], line, log)
      continue
    }
    log('Failed')
    throw new ChatFailure(3)
  }
}

async function receiveUntil(
  wanted: string,
  line: Line,
  log: (t: string) => void,
  aborts: string[],
  timeoutSec: number,
  ctx: CommandContext,
): Promise<'ok' | 'timeout' | number> {
  let buffer = ''
  let logged = 0
  let remaining = timeoutSec * 1000
  for (;;) {
    if (ctx.signal.aborted) throw ctx.signal.reason
    const before = performanceNow(ctx)
    const ch = await line.readChar(remaining, ctx.signal)
    remaining -= performanceNow(ctx) - before
    if (ch === null || remaining <= 0) {
      log('alarm')
      return 'timeout'
    }
    if (ch === '\n') {
      log(visible(buffer.slice(logged)))
      buffer += ch
      logged = buffer.length
      continue
    }
    buffer += ch
    if (buffer.length - logged >= 80) {
      log(visible(buffer.slice(logged)))
      logged = buffer.length
    }
    for (let n = 0; n < aborts.length; n++) {
      if (aborts[n] && buffer.endsWith(aborts[n])) {
        if (buffer.length > logged) log(visible(buffer.slice(logged)))
        log(' -- failed')
        return n + 4
      }
    }
    if (buffer.endsWith(wanted)) {
      if (buffer.length > logged) log(visible(buffer.slice(logged)))
      log(' -- got it\n')
      return 'ok'
    }
  }
}

function performanceNow(ctx: CommandContext): number {
  return ctx.board.clock.now()
}

function openLine(hw: HwContext, ctx: CommandContext): Line {
  const queue: string[] = []
  let wake: (() => void) | null = null
  const push = (chunk: Uint8Array): void => {
    queue.push(...Buffer.from(chunk).toString('latin1'))
    const w = wake
    wake = null
    w?.()
  }
  let off: () => void
  let writeOut: (text: string) => void
  let reader: StdinReader | null = null
  const port = hw.chatLine
  if (port) {
    off = port.onData(push)
    writeOut = (text) => port.write(Buffer.from(text, 'latin1'))
  } else {
    const r = stdinReader(ctx.stdin)
    reader = r
    let running = true
    void (async () => {
      while (running) {
        const chunk = await r.next()
        if (chunk === null) return
        push(chunk)
      }
    })()
    off = () => {
      running = false
      r.stop()
    }
    writeOut = (text) => ctx.stdout(text)
  }
  const clock = hw.board.clock
  return {
    write: (text) => writeOut(text),
    readChar: async (ms, signal) => {
      if (queue.length > 0) return queue.shift() as string
      if (ms <= 0 || signal.aborted) return null
      const arrived = await new Promise<boolean>((resolve) => {
        const onAbort = (): void => {
          cancel()
          wake = null
          resolve(false)
        }
        const cancel = clock.setTimer(ms, () => {
          signal.removeEventListener('abort', onAbort)
          wake = null
          resolve(false)
        })
        wake = () => {
          cancel()
          signal.removeEventListener('abort', onAbort)
          resolve(true)
        }
        signal.addEventListener('abort', onAbort, { once: true })
      })
      return arrived ? ((queue.shift() as string | undefined) ?? null) : null
    },
    close: () => {
      off()
      reader?.stop()
    },
  }
}
