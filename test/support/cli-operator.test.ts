import { describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src-cli/main'
import { memoryIo } from '../checklist/support/io'
import { defaultDataFolder, defaultResultsFolder } from '../../src-engine/record/default-folder'

describe('k230-bringup run and the operator id', () => {
  it('records --operator; a station that requires it (app setting) refuses a run without one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-cli-op-'))
    const data = join(dir, 'data')
    mkdirSync(data)
    const env = { K230_DATA_DIR: data }
    const out = join(dir, 'out')
    const ok = memoryIo(dir, env)
    expect(await main(['run', '--sim', 'healthy', '--time-scale', '0.01', '--modes', 'ecm', '--unit', 'CLI-OP-1', '--operator', 'op-cli-3', '--out', out], ok)).toBe(0)
    const json = readdirSync(out).find((f) => f.startsWith('CLI-OP-1') && f.endsWith('.json')) as string
    expect(JSON.parse(readFileSync(join(out, json), 'utf8')).station.operator).toBe('op-cli-3')

    writeFileSync(join(data, 'settings.json'), JSON.stringify({ operator: 'x', requireOperatorCli: true }))
    const refused = memoryIo(dir, env)
    expect(await main(['run', '--sim', 'healthy', '--time-scale', '0.01', '--unit', 'CLI-OP-2', '--out', out], refused)).toBe(2)
    expect(refused.err()).toContain('requires an operator id: add --operator ID')
    expect(readdirSync(out).some((f) => f.startsWith('CLI-OP-2'))).toBe(false)

    writeFileSync(join(data, 'settings.json'), '{ damaged')
    const lenient = memoryIo(dir, env)
    expect(await main(['run', '--sim', 'no-sim', '--time-scale', '0.01', '--modes', 'ecm', '--unit', 'CLI-OP-3', '--out', out], lenient)).toBe(1)
  }, 120_000)
})

describe('default folders', () => {
  it('are fixed per user (not a new temporary folder), overridable by the environment', () => {
    expect(defaultResultsFolder({}, '/home/tech')).toBe('/home/tech/Documents/K230 Bring-up results')
    expect(defaultResultsFolder({}, '/home/tech')).toBe(defaultResultsFolder({}, '/home/tech'))
    expect(defaultResultsFolder({ K230_RESULTS_DIR: '/srv/results' }, '/home/tech')).toBe('/srv/results')
    expect(defaultDataFolder({}, '/home/tech', 'linux')).toBe('/home/tech/.config/K230 Bring-up')
    expect(defaultDataFolder({ XDG_CONFIG_HOME: '/x' }, '/home/tech', 'linux')).toBe('/x/K230 Bring-up')
    expect(defaultDataFolder({ APPDATA: 'C:\\Users\\t\\AppData\\Roaming' }, 'C:\\Users\\t', 'win32')).toContain('K230 Bring-up')
    expect(defaultDataFolder({ K230_DATA_DIR: '/d' }, '/home/tech', 'linux')).toBe('/d')
  })
})
