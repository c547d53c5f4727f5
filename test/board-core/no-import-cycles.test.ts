import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const SHELL = resolve(__dirname, '../../src-board/shell')

/** Relative imports and re-exports of each module in a folder (type-only ones included: a cycle of types is still a cycle to read). */
function importGraph(folder: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.ts'))) {
    const file = join(folder, name)
    const text = readFileSync(file, 'utf8')
    const targets = [...text.matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gms)].map((m) => resolve(dirname(file), m[1]) + '.ts')
    graph.set(file, targets.filter((t) => dirname(t) === folder))
  }
  return graph
}

/** The first import cycle found, as a list of file names, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node]
    state.set(node, 'open')
    stack.push(node)
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    stack.pop()
    state.set(node, 'done')
    return null
  }
  for (const node of graph.keys()) {
    const cycle = visit(node)
    if (cycle) return cycle
  }
  return null
}

describe('module structure of the virtual board shell', () => {
  it('has no import cycle (builtins reach the shell through control.ts, never the executor)', () => {
    const graph = importGraph(SHELL)
    expect(graph.size).toBeGreaterThan(5)
    const cycle = findCycle(graph)
    expect(cycle?.map((f) => f.slice(SHELL.length + 1)) ?? null).toBeNull()
  })

  it('finds a cycle when there is one (the check itself works)', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['a']]]))).toEqual(['a', 'b', 'a'])
  })
})
