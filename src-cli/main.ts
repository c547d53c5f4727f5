import '../src-services/virtual-boards'
import { COMMANDS } from './commands/index'
import { EXIT, EXIT_CODES_HELP, UsageError, type CliCommand, type CliIo } from './command'
import { appVersion } from './commands/console-args'

/** Dispatches `k230-bringup COMMAND ARGS`; trusts nothing in argv. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--version' || name === '-V') {
    io.stdout.write(`k230-bringup ${appVersion()}\n`)
    return EXIT.ok
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined
    io.stdout.write(topic ? commandHelp(topic) : helpText())
    return name ? EXIT.ok : EXIT.usage
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    io.stderr.write(`k230-bringup: unknown command '${name}'\n\n${helpText()}`)
    return EXIT.usage
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command))
    return EXIT.ok
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`k230-bringup ${command.name}: ${error.message}\nusage: ${command.usage}\n`)
      return EXIT.usage
    }
    throw error
  }
}

/** One sub-command's help: what it does, its usage and the exit codes. */
export function commandHelp(command: CliCommand): string {
  return `k230-bringup ${command.name}: ${command.summary}\n\nusage: ${command.usage}\n\n${EXIT_CODES_HELP}`
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return `usage: k230-bringup COMMAND [ARGS]   (k230-bringup COMMAND --help for one command; --version)\n\ncommands:\n${lines.join('\n')}\n\n${EXIT_CODES_HELP}`
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
