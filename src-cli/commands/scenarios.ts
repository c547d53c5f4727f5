import type { CliCommand } from '../command'
import { EXIT } from '../command'
import { listScenarios } from '@board/scenarios/index'

/** `k230-bringup scenarios`: lists the virtual board's named fault scenarios. */
export const scenariosCommand: CliCommand = {
  name: 'scenarios',
  summary: 'list the virtual board scenarios',
  usage: 'k230-bringup scenarios [--json]',
  async run(argv, io) {
    const scenarios = listScenarios()
    if (argv.includes('--json')) io.stdout.write(JSON.stringify(scenarios, null, 2) + '\n')
    else {
      const width = Math.max(...scenarios.map((s) => s.name.length))
      for (const s of scenarios) io.stdout.write(`${s.name.padEnd(width)}  ${s.summary}\n`)
    }
    return EXIT.ok
  },
}
