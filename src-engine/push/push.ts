/** File push over the shell session: chunked, verified, atomically moved into place. */
import { createHash } from 'node:crypto'
import { SessionError, type RunResult, type ShellSession } from '../session/types'
import { shellQuote } from '../session/quote'
import { encodeBase64Batch, encodePrintfLines } from './encode'
import { probeBoardTools } from './board-tools'

/** Options of pushFile. */
export interface PushOptions {
  /** File mode applied after the move, e.g. 0o755. */
  mode?: number
  /** Push even when the board's file already has the same MD5. */
  force?: boolean
  /** `auto` uses base64 when the board decodes it, else printf octal escapes. */
  encoding?: 'auto' | 'base64' | 'printf'
  /** Raw bytes per batch; default 1344 (1792 base64 characters), so two batches typed ahead stay under the 4 KB tty buffer. */
  batchBytes?: number
  /** Retries of one failed batch before giving up; default 2. */
  retries?: number
  /** Timeout of one batch (ms); default 20000. */
  batchTimeoutMs?: number
  /** The content holds a secret (the PPP password): its encoded payload is sent inside the session's redacted span, so no transcript keeps it. */
  secret?: boolean
  /** Called after each verified batch with raw bytes done and total. */
  onProgress?: (done: number, total: number) => void
}

/** What a push did. */
export interface PushResult {
  path: string
  bytes: number
  md5: string
  /** `skipped` when the board already had identical content. */
  method: 'base64' | 'printf' | 'skipped'
  /** How the content was checked on the board. */
  verified: 'md5' | 'size'
  durationMs: number
  /** Characters of encoded payload lines sent (base64 or printf text, newlines included). */
  encodedBytes: number
  /** Raw bytes per second. */
  bytesPerSecond: number
  /** Batches that had to be sent again. */
  retries: number
}

/** A push that failed verification or a board command; the board's previous file is untouched. Session failures (link lost, reboot) propagate as SessionError. */
export class PushError extends Error {
  override name = 'PushError'
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`Push to ${path} failed: ${message}`)
  }
}

const DEFAULT_BATCH = 1344
const TMP_SUFFIX = '.k230push'

/** Validates a board path: absolute, no NUL or newline. */
function checkPath(path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new PushError(String(path), 'the board path must be absolute (start with /)')
  if (/[\0\n\r]/.test(path)) throw new PushError(JSON.stringify(path), 'the board path contains a NUL, CR or newline')
  if (path.endsWith('/')) throw new PushError(path, 'the board path names a directory, not a file')
}

/** Puts `data` at `path` on the board; trusts the session to be attached, verifies everything it writes. */
export async function pushFile(session: ShellSession, path: string, data: Uint8Array | string, options: PushOptions = {}): Promise<PushResult> {
  checkPath(path)
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  const md5 = createHash('md5').update(bytes).digest('hex')
  const started = performance.now()
  const tools = await probeBoardTools(session)
  const q = shellQuote(path)
  const modeText = options.mode !== undefined ? modeString(options.mode) : undefined
  const result = (method: PushResult['method'], encodedBytes: number, retries: number): PushResult => {
    const durationMs = Math.max(1, Math.round(performance.now() - started))
    return { path, bytes: bytes.length, md5, method, verified: tools.md5sum ? 'md5' : 'size', durationMs, encodedBytes, bytesPerSecond: Math.round((bytes.length * 1000) / durationMs), retries }
  }

  if (!options.force) {
    const existing = tools.md5sum ? await session.run(`md5sum <${q} 2>/dev/null`) : undefined
    if (existing && existing.status === 0 && existing.output.trim().split(/\s+/)[0] === md5) {
      if (modeText) await must(session, `chmod ${modeText} ${q}`, path, 'chmod')
      return result('skipped', 0, 0)
    }
  }

  if (options.secret && typeof session.redacted === 'function') return session.redacted(`secret file ${path}`, () => transfer(session, path, bytes, md5, tools, options, result))
  return transfer(session, path, bytes, md5, tools, options, result)
}

async function transfer(session: ShellSession, path: string, bytes: Uint8Array, md5: string, tools: Awaited<ReturnType<typeof probeBoardTools>>, options: PushOptions, result: (method: PushResult['method'], encodedBytes: number, retries: number) => PushResult): Promise<PushResult> {
  const q = shellQuote(path)
  const tmp = shellQuote(path + TMP_SUFFIX)
  const modeText = options.mode !== undefined ? modeString(options.mode) : undefined
  const method = options.encoding === 'printf' || (options.encoding !== 'base64' && !tools.base64) ? 'printf' : 'base64'
  if (method === 'base64' && !tools.base64) throw new PushError(path, 'the board has no working `base64 -d`')
  const batchBytes = Math.max(3, Math.floor((options.batchBytes ?? DEFAULT_BATCH) / 3) * 3)
  const retriesAllowed = options.retries ?? 2
  const timeout = options.batchTimeoutMs ?? 20_000
  const count = Math.max(1, Math.ceil(bytes.length / batchBytes))
  const chunk = (i: number) => bytes.subarray(i * batchBytes, (i + 1) * batchBytes)
  const expected = Array.from({ length: count }, (_, i) => (tools.md5sum ? createHash('md5').update(chunk(i)).digest('hex') : String(chunk(i).length)))
  const partPath = (i: number) => `"$K2T.${i}"`
  const partName = (i: number) => shellQuote(`${path}${TMP_SUFFIX}.${i}`)
  const verified = new Array<boolean>(count).fill(false)
  const attempts = new Array<number>(count).fill(0)
  const queue = Array.from({ length: count }, (_, i) => i)
  const sent: { index: number; appends: number[] }[] = []
  let appendNext = 0
  let processed = 0
  let encodedBytes = 0
  let retries = 0
  let done = 0

  const handle = (r: RunResult, meta: { index: number; appends: number[] }) => {
    for (const j of meta.appends) {
      if (!new RegExp(`^K2A${j}$`, 'm').test(r.output)) throw new PushError(path, `appending part ${j} to the temporary file failed: ${lastLine(r)}`)
    }
    const got = r.output.trim().split('\n').pop()?.trim().split(/\s+/)[0] ?? ''
    const i = meta.index
    if (got === expected[i]) {
      verified[i] = true
      done += chunk(i).length
      options.onProgress?.(done, bytes.length)
      return
    }
    attempts[i]++
    if (attempts[i] > retriesAllowed) throw new PushError(path, `batch at byte ${i * batchBytes} did not verify after ${attempts[i]} attempts (board has ${got || 'nothing'}, expected ${expected[i]})`)
    retries++
    queue.unshift(i)
  }
  const next = (results: RunResult[]): string | null => {
    while (processed < results.length) handle(results[processed], sent[processed++])
    const i = queue.shift()
    if (i === undefined) return null
    const appends: number[] = []
    while (appendNext < count && verified[appendNext]) appends.push(appendNext++)
    const encoded = method === 'base64' ? encodeBase64Batch(chunk(i), partPath(i), session.maxLine) : encodePrintfLines(chunk(i), partPath(i), session.maxLine)
    encodedBytes += encoded.payloadBytes
    sent.push({ index: i, appends })
    const appendLines = appends.map((j) => `cat ${partPath(j)} >>"$K2T" && rm -f ${partPath(j)} && echo K2A${j}`)
    return [...appendLines, ...encoded.lines, tools.md5sum ? `md5sum <${partPath(i)}` : `wc -c <${partPath(i)}`].join('\n')
  }

  try {
    await must(session, `K2T=${tmp}; rm -f "$K2T" && true >"$K2T"`, path, 'creating the temporary file')
    while (queue.length > 0) {
      const results = await runPipelined(session, next, timeout)
      while (processed < results.length) handle(results[processed], sent[processed++])
      sent.splice(0)
      processed = 0
    }
    const rest: string[] = []
    for (let j = appendNext; j < count; j++) rest.push(`cat ${partPath(j)} >>"$K2T" && rm -f ${partPath(j)} || echo K230-APPEND-FAILED`)
    const check = tools.md5sum ? `md5sum <${tmp}` : `wc -c <${tmp}`
    const final = await session.run([...rest, check].join('\n'), { timeout })
    const got = final.output.trim().split('\n').pop()?.trim().split(/\s+/)[0] ?? ''
    const want = tools.md5sum ? md5 : String(bytes.length)
    if (final.status !== 0 || /K230-APPEND-FAILED/.test(final.output) || got !== want) {
      throw new PushError(path, `the assembled file does not verify (board has ${got || 'nothing'}, expected ${want})`)
    }
    await must(session, `[ ! -d ${q} ] && mv -f ${tmp} ${q}${modeText ? ` && chmod ${modeText} ${q}` : ''}`, path, 'moving the file into place')
  } catch (error) {
    const names = [tmp, ...Array.from({ length: count }, (_, i) => partName(i))]
    for (const line of packLines(names, session.maxLine - 10)) await session.run(`rm -f ${line}`, { timeout: 5000 }).catch(() => undefined)
    if (error instanceof PushError || error instanceof SessionError) throw error
    throw new PushError(path, error instanceof Error ? error.message : String(error))
  }
  return result(method, encodedBytes, retries)
}

async function must(session: ShellSession, command: string, path: string, what: string): Promise<RunResult> {
  const r = await session.run(command)
  if (r.status !== 0) throw new PushError(path, `${what} failed (status ${r.status}): ${lastLine(r)}`)
  return r
}

type Pipelined = ShellSession & { runPipelined?: (next: (done: RunResult[]) => string | null, options?: { timeout?: number }) => Promise<RunResult[]> }

/** Uses the session's pipelined runner when it has one, else runs one command at a time. */
async function runPipelined(session: Pipelined, next: (done: RunResult[]) => string | null, timeout: number): Promise<RunResult[]> {
  if (typeof session.runPipelined === 'function') return session.runPipelined(next, { timeout })
  const results: RunResult[] = []
  for (let command = next(results); command !== null; command = next(results)) results.push(await session.run(command, { timeout }))
  return results
}

/** Joins words into space-separated lines of at most `max` characters. */
function packLines(words: string[], max: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const w of words) {
    if (line && line.length + 1 + w.length > max) {
      lines.push(line)
      line = ''
    }
    line = line ? `${line} ${w}` : w
  }
  if (line) lines.push(line)
  return lines
}

function lastLine(r: RunResult): string {
  return r.output.trim().split('\n').pop() ?? ''
}

function modeString(mode: number): string {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new PushError('mode', `invalid file mode ${mode}: expected an integer such as 0o755`)
  return mode.toString(8).padStart(4, '0')
}
