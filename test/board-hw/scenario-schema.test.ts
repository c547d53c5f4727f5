import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import Ajv from 'ajv'
import { checkValue } from '@shared/schema'
import { listScenarios, loadScenario, ScenarioError } from '../../src-board/scenarios/index'
import { SCENARIO_FILE_SCHEMA, SCENARIO_SCHEMA } from '../../src-board/scenarios/types'

const dir = join(__dirname, '../../src-board/scenarios')
const files = readdirSync(dir).filter((f) => f.endsWith('.json'))

describe('scenario files are checked by their TypeBox schema', () => {
  it('every scenario file on disk fits the file schema, is built in, and resolves to a complete scenario', () => {
    const ajv = new Ajv({ strict: false })
    const asFile = ajv.compile(JSON.parse(JSON.stringify(SCENARIO_FILE_SCHEMA)))
    const asScenario = ajv.compile(JSON.parse(JSON.stringify(SCENARIO_SCHEMA)))
    expect(files.length).toBeGreaterThanOrEqual(16)
    const builtIn = listScenarios().map((s) => s.name)
    for (const file of files) {
      const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { name: string }
      expect(checkValue(SCENARIO_FILE_SCHEMA, data, file), file).toBeNull()
      expect(asFile(data), `${file}: ${JSON.stringify(asFile.errors)}`).toBe(true)
      expect(data.name, file).toBe(file.replace(/\.json$/, ''))
      expect(builtIn, file).toContain(data.name)
      expect(asScenario(loadScenario(data.name)), `${file}: ${JSON.stringify(asScenario.errors)}`).toBe(true)
    }
  })

  it.each([
    ['a misspelt section', { name: 'x', summary: 's', modme: { simPresent: false } }, "scenario 'x'.modme: unexpected field"],
    ['a misspelt setting', { name: 'x', summary: 's', modem: { simPresnt: false } }, "scenario 'x'.modem.simPresnt: unexpected field"],
    ['a signal that is text', { name: 'x', summary: 's', modem: { csq: { rssi: 'strong' } } }, "scenario 'x'.modem.csq.rssi: expected a finite number, got string"],
    ['a loss rate above 1', { name: 'x', summary: 's', network: { lossRate: 1.5 } }, "scenario 'x'.network.lossRate: above 1"],
    ['a DNS answer that is not an address', { name: 'x', summary: 's', network: { hosts: { 'a.example': 'nowhere' } } }, "scenario 'x'.network.hosts.a.example: does not match"],
    ['no name', { summary: 's' }, 'scenario (unnamed).name: expected a string, got undefined'],
  ])('an inline scenario with %s is refused with a message naming the field', (_what, file, message) => {
    expect(() => loadScenario(file as never)).toThrow(ScenarioError)
    expect(() => loadScenario(file as never)).toThrow(message)
  })
})
