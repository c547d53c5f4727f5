/** The per-slot calls and events of the host API (station layout, slot views, each slot's console, run and AT), in one place for the stores. */
import type { AtExchange, ConsoleState, InvokeRequest, RunSnapshot } from '@shared/ipc'
import type { StationLayout } from '@shared/station-layout'
import { api } from '../api'

/** One slot as the main side reports it (the slot contract's SlotView). */
export interface SlotView {
  index: number
  name: string
  port?: string
  console: ConsoleState
  run: RunSnapshot
  unit?: string
  present: boolean
}

type Target = InvokeRequest<'console:open'>

/** The slot-aware calls as the stores use them. */
export interface SlotApi {
  layout(): Promise<StationLayout>
  setLayout(layout: StationLayout): Promise<StationLayout>
  slots(): Promise<SlotView[]>
  onSlots(listener: (views: SlotView[]) => void): () => void
  consoleOpen(slot: number, target: Target): Promise<ConsoleState>
  consoleClose(slot: number): Promise<ConsoleState>
  consoleState(slot: number): Promise<ConsoleState>
  consoleWrite(slot: number, data: string): Promise<void>
  consoleTranscript(slot: number): Promise<string>
  consoleBreak(slot: number): Promise<void>
  consoleLog(slot: number, on: boolean): Promise<ConsoleState>
  onConsoleData(listener: (slot: number, data: string) => void): () => void
  onConsoleState(listener: (slot: number, state: ConsoleState) => void): () => void
  runStart(slot: number, serial: string, steps?: string[]): Promise<RunSnapshot>
  runRerun(slot: number, steps: 'failed' | string[]): Promise<RunSnapshot>
  runAbort(slot: number): Promise<RunSnapshot>
  runSnapshot(slot: number): Promise<RunSnapshot>
  onRunUpdate(listener: (slot: number, snapshot: RunSnapshot) => void): () => void
  atSend(slot: number, command: string): Promise<AtExchange>
}

/** The slot-aware API over `window.api`. */
export function slotApi(): SlotApi {
  const a = api() as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> & ReturnType<typeof api>
  const station = a.station
  return {
    layout: () => station.layout() as Promise<StationLayout>,
    setLayout: (layout) => station.setLayout(layout) as Promise<StationLayout>,
    slots: () => station.slots() as Promise<SlotView[]>,
    onSlots: (listener) => (station.onSlots as unknown as (l: (v: SlotView[]) => void) => () => void)(listener),
    consoleOpen: (slot, target) => a.console.open((slot ? { ...target, slot } : target) as unknown as Target),
    consoleClose: (slot) => (a.console.close as (s: number) => Promise<ConsoleState>)(slot),
    consoleState: (slot) => (a.console.state as (s: number) => Promise<ConsoleState>)(slot),
    consoleWrite: (slot, data) => (a.console.write as (d: string, s: number) => Promise<void>)(data, slot),
    consoleTranscript: (slot) => (a.console.transcript as (s: number) => Promise<string>)(slot),
    consoleBreak: (slot) => (a.console.sendBreak as (s: number) => Promise<void>)(slot),
    consoleLog: (slot, on) => (a.console.log as (o: boolean, s: number) => Promise<ConsoleState>)(on, slot),
    onConsoleData: (listener) => (a.console.onData as unknown as (l: (p: { slot?: number; data: string } | string) => void) => () => void)((p) => (typeof p === 'string' ? listener(0, p) : listener(p.slot ?? 0, p.data))),
    onConsoleState: (listener) => a.console.onState((s) => listener((s as ConsoleState & { slot?: number }).slot ?? 0, s)),
    runStart: (slot, serial, steps) => (a.run.start as (...x: unknown[]) => Promise<RunSnapshot>)(serial, undefined, steps, slot),
    runRerun: (slot, steps) => (a.run.rerun as (...x: unknown[]) => Promise<RunSnapshot>)(steps, slot),
    runAbort: (slot) => (a.run.abort as (s: number) => Promise<RunSnapshot>)(slot),
    runSnapshot: (slot) => (a.run.snapshot as (s: number) => Promise<RunSnapshot>)(slot),
    onRunUpdate: (listener) => a.run.onUpdate((s) => listener((s as RunSnapshot & { slot?: number }).slot ?? 0, s)),
    atSend: (slot, command) => (a.at.send as (c: string, s: number) => Promise<AtExchange>)(command, slot),
  }
}
