/** Pure UX table: what a slot's tile says it is doing, from what the main side and the scanner flow know of it. */

/** A tile's state, in the order it wins: gone, busy, holding a scanned unit, picked by its label, showing a result, unconnected, free. */
export type TileState = 'absent' | 'running' | 'waiting' | 'picked' | 'result' | 'no-console' | 'free'

/** What decides a tile's state. */
export interface TileFacts {
  present: boolean
  running: boolean
  waitingUnit?: string
  picked: boolean
  verdict: string | null
  consoleOpen: boolean
}

/** The tile's state: the first of the states above that holds. */
export function tileState(f: TileFacts): TileState {
  if (!f.present) return 'absent'
  if (f.running) return 'running'
  if (f.waitingUnit !== undefined) return 'waiting'
  if (f.picked) return 'picked'
  if (f.verdict) return 'result'
  if (!f.consoleOpen) return 'no-console'
  return 'free'
}

/** The catalogue key of the line a tile shows in place of a verdict, if any. */
export function tileNoteKey(state: TileState): string | undefined {
  return { absent: 'slots.absent', waiting: 'slots.waiting', picked: 'slots.picked', 'no-console': 'slots.noConsole', free: 'slots.free' }[state as string]
}
