/** `k230-bringup at`: sends AT commands to the module through one microcom held on its AT port, each answered on its final result code. */
import { AtError, createMicrocomAtChannel, describeFinal, parseAnswer, parsedViewLines, type MicrocomAtChannel } from '@engine/at/index'
import { EXIT, UsageError, type CliCommand, thrownText } from '../command'
import { parseCommandArgs } from '../args'
import { CONSOLE_OPTIONS, consoleTarget, openConsole, targetName } from './console-args'

/** Sends each COMMAND in turn and prints the answer (with --parsed, the typed readers' fields; --json carries them as `parsed`); exit 0 when all ended in OK, 1 otherwise, 3 when the link was lost. */
export const atCommand: CliCommand = {
  name: 'at',
  summary: 'send AT commands to the EC200A through the board',
  usage: 'k230-bringup at (--port PATH | --sim SCENARIO) [--device /dev/ttyUSB2] [--time-scale X] [--parsed] [--json] COMMAND...',
  async run(argv, io) {
    const { values, positionals: rest, t } = parseCommandArgs(argv, io.env, { ...CONSOLE_OPTIONS, device: { type: 'string' }, json: { type: 'boolean' }, parsed: { type: 'boolean' } }, { positionals: Infinity })
    if (!rest.length) throw new UsageError('cli.at.needsCommand')
    for (const command of rest) if (!/^AT/i.test(command.trim())) throw new UsageError('cli.at.notAt', { command })
    const device = values.device ?? '/dev/ttyUSB2'
    if (!/^\/dev\/[A-Za-z0-9._-]+$/.test(device)) throw new UsageError('cli.at.device', { device })
    const target = consoleTarget(values)
    const json = values.json === true
    let console
    try {
      console = await openConsole(target)
    } catch (error) {
      io.stderr.write(`k230-bringup at: ${t('cli.common.cannotOpen', { target: targetName(target), error: error instanceof Error ? error.message : String(error) })}\n`)
      return EXIT.lost
    }
    let code: number = EXIT.ok
    const results: unknown[] = []
    let channel: MicrocomAtChannel | undefined
    try {
      await console.session.attach()
      channel = createMicrocomAtChannel(console.session, { device })
      for (const command of rest) {
        try {
          const response = await channel.send(command)
          const final = describeFinal(response.final)
          const parsed = parseAnswer(command, response)
          results.push({ command, lines: response.lines, final, ...(parsed ? { parsed } : {}) })
          const view = values.parsed && parsed ? parsedViewLines(parsed) : []
          if (!json) io.stdout.write(`> ${command}\n${[...response.lines, final, ...view].map((l) => `${l}\n`).join('')}`)
          if (response.final?.kind !== 'ok') code = EXIT.failed
        } catch (error) {
          if (error instanceof AtError && error.code === 'link-lost') throw error
          const message = error instanceof Error ? error.message : String(error)
          results.push({ command, error: message })
          if (!json) io.stdout.write(`> ${command}\n! ${message}\n`)
          code = EXIT.failed
        }
      }
    } catch (error) {
      io.stderr.write(`k230-bringup at: ${thrownText(error, t)}\n`)
      code = (error as { code?: string }).code === 'link-lost' ? EXIT.lost : EXIT.failed
    } finally {
      if (channel?.open) {
        await channel.close().catch(() => undefined)
        await console.session.detach().catch(() => undefined)
      }
      await console.close()
    }
    if (json) io.stdout.write(JSON.stringify(results, null, 2) + '\n')
    return code
  },
}
