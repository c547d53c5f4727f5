import { Writable } from 'node:stream'
import type { CliIo } from '../../../src-cli/command'

/** A CliIo that keeps what the command writes. */
export function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}): CliIo & { out(): string; err(): string } {
  const chunks = { out: [] as string[], err: [] as string[] }
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _encoding, done) {
        into.push(String(chunk))
        done()
      },
    })
  return { stdout: sink(chunks.out), stderr: sink(chunks.err), env, cwd, out: () => chunks.out.join(''), err: () => chunks.err.join('') }
}
