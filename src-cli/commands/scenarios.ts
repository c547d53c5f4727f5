import type { CliCommand } from '../command'
import { EXIT } from '../command'
import { listScenarios } from '@board/scenarios/index'
import { hasKey } from '@shared/i18n/translate'
import { parseCommandArgs } from '../args'

/** `k230-bringup scenarios`: lists the virtual board's named fault scenarios. */
export const scenariosCommand: CliCommand = {
  name: 'scenarios',
  summary: 'list the virtual board scenarios',
  usage: 'k230-bringup scenarios [--json]',
  async run(argv, io) {
    const { values, t } = parseCommandArgs(argv, io.env, { json: { type: 'boolean' } })
    const scenarios = listScenarios()
    if (values.json) io.stdout.write(JSON.stringify(scenarios, null, 2) + '\n')
    else {
      const width = Math.max(...scenarios.map((s) => s.name.length))
      for (const s of scenarios) io.stdout.write(`${s.name.padEnd(width)}  ${hasKey(`scenario.${s.name}`) ? t(`scenario.${s.name}`) : s.summary}\n`)
    }
    return EXIT.ok
  },
}
