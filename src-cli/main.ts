import '../src-services/virtual-boards'
import { COMMANDS } from './commands/index'
import { hasKey, type Translate } from '@shared/i18n/translate'
import { EXIT, exitCodesHelp, UsageError, type CliCommand, type CliIo } from './command'
import { cliT, peekLang } from './lang'
import { appVersion } from './commands/console-args'

/** Dispatches `k230-bringup COMMAND ARGS` and speaks the language of `--lang` or the environment; trusts nothing in argv. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = langAfterCommand(argv)
  const t = cliT(peekLang(argv, io.env))
  if (name === '--version' || name === '-V') {
    io.stdout.write(`k230-bringup ${appVersion()}\n`)
    return EXIT.ok
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined
    io.stdout.write(topic ? commandHelp(topic, t) : helpText(t))
    return name ? EXIT.ok : EXIT.usage
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    io.stderr.write(`k230-bringup: ${t('cli.help.unknownCommand', { name })}\n\n${helpText(t)}`)
    return EXIT.usage
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command, t))
    return EXIT.ok
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`k230-bringup ${command.name}: ${error.render(t)}\n${t('cli.help.usage')}: ${commandUsage(command, t)}\n`)
      return EXIT.usage
    }
    throw error
  }
}

function langAfterCommand(argv: string[]): string[] {
  if (argv[0] === '--lang' && argv.length > 1) return [...argv.slice(2, 3), ...argv.slice(0, 2), ...argv.slice(3)]
  if (argv[0]?.startsWith('--lang=')) return [...argv.slice(1, 2), argv[0], ...argv.slice(2)]
  return argv
}

function catalogued(t: Translate, key: string, fallback: string): string {
  return hasKey(key) ? t(key) : fallback
}

/** A sub-command's one-line summary in the language of `t`. */
export function commandSummary(command: CliCommand, t: Translate): string {
  return catalogued(t, `cli.cmd.${command.name}.summary`, command.summary)
}

/** A sub-command's usage lines in the language of `t`. */
export function commandUsage(command: CliCommand, t: Translate): string {
  return catalogued(t, `cli.cmd.${command.name}.usage`, command.usage)
}

/** One sub-command's help: what it does, its usage and the exit codes, in the language of `t` (English by default). */
export function commandHelp(command: CliCommand, t: Translate = cliT('en')): string {
  return `k230-bringup ${command.name}: ${commandSummary(command, t)}\n\n${t('cli.help.usage')}: ${commandUsage(command, t)}\n\n${exitCodesHelp(t)}`
}

function helpText(t: Translate): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${commandSummary(c, t)}`)
  return `${t('cli.help.usage')}: k230-bringup COMMAND [ARGS]   (${t('cli.help.more')})\n\n${t('cli.help.commands')}:\n${lines.join('\n')}\n\n${exitCodesHelp(t)}`
}

const isEntry = process.argv[1] && /src-cli[\\/]main\.ts$/.test(process.argv[1])
if (isEntry) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() })
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      process.stderr.write(`k230-bringup: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
      process.exit(EXIT.failed)
    })
}
