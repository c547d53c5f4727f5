import { Writable } from 'node:stream'
import type { CliIo } from '../../../src-cli/command'

/** A CliIo that collects stdout and stderr as text. */
export function captureIo(cwd: string, env: NodeJS.ProcessEnv = process.env): CliIo & { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk))
        done()
      },
    })
  return {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    env,
    cwd,
    out: () => out,
    err: () => err,
  }
}
