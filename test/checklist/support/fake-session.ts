import type { RunResult, ShellSession } from '@engine/session/types'

/** A scripted shell session: each command's answer comes from `answer`; no timing involved. */
export function scriptedSession(answer: (command: string) => Partial<RunResult> | Promise<Partial<RunResult>>): ShellSession & { commands: string[] } {
  const commands: string[] = []
  return {
    commands,
    maxLine: 1024,
    async attach() {},
    async detach() {},
    on: () => () => undefined,
    async run(command) {
      commands.push(command)
      const r = await answer(command)
      return { output: r.output ?? '', status: r.status ?? 0, durationMs: 0, kernel: r.kernel ?? [] }
    },
  }
}
