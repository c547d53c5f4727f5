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
  /** Raw bytes per batch (one command round trip); default 2304 (3 KB of base64, under the 4 KB tty buffer). */
  batchBytes?: number
  /** Retries of one failed batch before giving up; default 2. */
  retries?: number
  /** Timeout of one batch (ms); default 20000. */
  batchTimeoutMs?: number
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

const PART_SUFFIX = '.k230part'
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
  const tmp = shellQuote(path + TMP_SUFFIX)
  const part = shellQuote(path + TMP_SUFFIX + PART_SUFFIX)
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

  const method = options.encoding === 'printf' || (options.encoding !== 'base64' && !tools.base64) ? 'printf' : 'base64'
  if (method === 'base64' && !tools.base64) throw new PushError(path, 'the board has no working `base64 -d`')
  const batchBytes = Math.max(3, Math.floor((options.batchBytes ?? 2304) / 3) * 3)
  const retriesAllowed = options.retries ?? 2
  const timeout = options.batchTimeoutMs ?? 20_000
  let encodedBytes = 0
  let retries = 0
  let pendingAppend = false
  try {
    await must(session, `rm -f ${tmp} ${part} && true >${tmp}`, path, 'creating the temporary file')
    for (let offset = 0; offset < bytes.length || (offset === 0 && bytes.length === 0); offset += batchBytes) {
      const chunk = bytes.subarray(offset, offset + batchBytes)
      const expected = tools.md5sum ? createHash('md5').update(chunk).digest('hex') : String(chunk.length)
      for (let attempt = 0; ; attempt++) {
        const encoded =
          method === 'base64' ? encodeBase64Batch(chunk, part, session.maxLine) : encodePrintfLines(chunk, part, session.maxLine)
        const lines = [pendingAppend ? `cat ${part} >>${tmp} && echo K230-APPENDED` : 'true', ...encoded.lines, tools.md5sum ? `md5sum <${part}` : `wc -c <${part}`]
        encodedBytes += encoded.payloadBytes
        const r = await session.run(lines.join('\n'), { timeout })
        if (pendingAppend && !/^K230-APPENDED$/m.test(r.output)) throw new PushError(path, `appending to the temporary file failed: ${lastLine(r)}`)
        pendingAppend = false
        const got = r.output.trim().split('\n').pop()?.trim().split(/\s+/)[0] ?? ''
        if (got === expected) break
        if (attempt >= retriesAllowed) throw new PushError(path, `batch at byte ${offset} did not verify after ${attempt + 1} attempts (board has ${got || 'nothing'}, expected ${expected})`)
        retries++
      }
      pendingAppend = true
      options.onProgress?.(Math.min(bytes.length, offset + chunk.length), bytes.length)
      if (bytes.length === 0) break
    }
    const check = tools.md5sum ? `md5sum <${tmp}` : `wc -c <${tmp}`
    const final = await session.run(`cat ${part} >>${tmp} && rm -f ${part} && ${check}`, { timeout })
    const got = final.output.trim().split('\n').pop()?.trim().split(/\s+/)[0] ?? ''
    const want = tools.md5sum ? md5 : String(bytes.length)
    if (final.status !== 0 || got !== want) throw new PushError(path, `the assembled file does not verify (board has ${got || 'nothing'}, expected ${want})`)
    await must(session, `[ ! -d ${q} ] && mv -f ${tmp} ${q}${modeText ? ` && chmod ${modeText} ${q}` : ''}`, path, 'moving the file into place')
  } catch (error) {
    await session.run(`rm -f ${tmp} ${part}`, { timeout: 5000 }).catch(() => undefined)
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

function lastLine(r: RunResult): string {
  return r.output.trim().split('\n').pop() ?? ''
}

function modeString(mode: number): string {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new PushError('mode', `invalid file mode ${mode}: expected an integer such as 0o755`)
  return mode.toString(8).padStart(4, '0')
}
