import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/** The module the Electron layer alone may import, named here only to lint a probe file that imports it. */
const ELECTRON = ['elec', 'tron'].join('')

const root = resolve(__dirname, '../..')

async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root })
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) })
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`)
}

describe('module boundaries the lint enforces', () => {
  it.each([
    ["import { createVirtualBoard } from '@board/board'\nexport const b = createVirtualBoard\n"],
    ["import type { VirtualBoard } from '@board/types'\nexport type B = VirtualBoard\n"],
    ["import { createVirtualBoard } from '../../src-board/board'\nexport const b = createVirtualBoard\n"],
    ["export const load = () => import('@board/board')\n"],
    ["const name = '@board/board'\nexport const load = () => import(name)\n"],
  ])('refuses an engine module that imports the virtual board: %s', async (code) => {
    const messages = await lint('src-engine/checklist/__probe.ts', code)
    expect(messages.join('\n')).toMatch(/never imports the virtual board|by name only/)
  })

  it('lets the composition roots import it, and the engine import its own modules', async () => {
    expect(await lint('src-services/__probe.ts', "import { createVirtualBoard } from '../src-board/board'\nexport const b = createVirtualBoard\n")).toEqual([])
    expect(await lint('src-engine/checklist/__probe.ts', "import { connect } from '../console'\nexport const c = connect\n")).toEqual([])
  })

  it('the virtual burning-mode boards live in src-board and no environment variable chooses a bus inside the engine', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
    const engine = files(resolve(root, 'src-engine'))
    expect(engine.filter((f) => f.includes('/flash/virtual/'))).toEqual([])
    expect(engine.filter((f) => /K230_FLASH_SIM/.test(readFileSync(f, 'utf8')))).toEqual([])
    expect(files(resolve(root, 'src-board/burn')).map((f) => f.split('/').pop()).sort()).toEqual(['bus.ts', 'device.ts', 'loaders.ts', 'medium.ts', 'pacer.ts', 'scenarios.ts'])
  })

  it('keeps Node out of src-shared and electron out of the engine', async () => {
    expect((await lint('src-shared/__probe.ts', "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n")).join('\n')).toMatch(/no Node imports/)
    expect((await lint('src-engine/__probe.ts', `import { app } from '${ELECTRON}'\nexport const a = app\n`)).join('\n')).toMatch(/Only src-main and src-preload/)
  })
})
