import { describe, expect, it } from 'vitest'
import { tileNoteKey, tileState, type TileFacts, type TileState } from '../../src-renderer/ui/slot-state'
import { en, zhCN } from '../../src-shared/i18n/catalogue'

const base: TileFacts = { present: true, running: false, picked: false, verdict: null, consoleOpen: true }

// Each row turns one more fact on; the state named is the one that wins over every fact below it.
const TABLE: [Partial<TileFacts>, TileState][] = [
  [{}, 'free'],
  [{ consoleOpen: false }, 'no-console'],
  [{ consoleOpen: false, verdict: 'fail' }, 'result'],
  [{ verdict: 'pass', picked: true }, 'picked'],
  [{ verdict: 'pass', picked: true, waitingUnit: 'SN1' }, 'waiting'],
  [{ verdict: 'running', picked: true, waitingUnit: 'SN1', running: true }, 'running'],
  [{ verdict: 'running', running: true, present: false }, 'absent'],
]

describe('slot tile state table', () => {
  for (const [facts, state] of TABLE) {
    it(`${JSON.stringify(facts)} → ${state}`, () => expect(tileState({ ...base, ...facts })).toBe(state))
  }

  it('every state without a verdict has a line in both catalogues; running and result show the verdict instead', () => {
    const get = (cat: unknown, key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], cat)
    for (const state of ['absent', 'waiting', 'picked', 'no-console', 'free'] as TileState[]) {
      const key = tileNoteKey(state)
      expect(key).toBeDefined()
      expect(typeof get(en, key!)).toBe('string')
      expect(typeof get(zhCN, key!)).toBe('string')
    }
    expect(tileNoteKey('running')).toBeUndefined()
    expect(tileNoteKey('result')).toBeUndefined()
  })
})
