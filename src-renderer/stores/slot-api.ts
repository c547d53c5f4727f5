/** The per-slot calls and events of the host API (station layout, slot views, each slot's console, run and AT), in one place for the stores. */
import type { AtExchange, ConsoleState, InvokeRequest, RunSnapshot, SlotView } from '@shared/ipc'
import type { StationLayout } from '@shared/station-layout'
import { api } from '../api'

export type { SlotView }

type Target = InvokeRequest<'console:open'>

/** The slot-aware calls as the stores use them: the slot first, always given. */
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
  atLeave(slot: number): Promise<void>
}

/** The slot-aware API over `window.api`; slot 0 goes out without a slot field, as a one-slot station's calls always did. */
export function slotApi(): SlotApi {
  const a = api()
  const s = (slot: number) => (slot ? slot : undefined)
  return {
    layout: () => a.station.layout(),
    setLayout: (layout) => a.station.setLayout(layout),
    slots: () => a.station.slots(),
    onSlots: (listener) => a.station.onSlots(listener),
    consoleOpen: (slot, target) => a.console.open(slot ? { ...target, slot } : target),
    consoleClose: (slot) => a.console.close(s(slot)),
    consoleState: (slot) => a.console.state(s(slot)),
    consoleWrite: (slot, data) => a.console.write(data, s(slot)),
    consoleTranscript: (slot) => a.console.transcript(s(slot)),
    consoleBreak: (slot) => a.console.sendBreak(s(slot)),
    consoleLog: (slot, on) => a.console.log(on, s(slot)),
    onConsoleData: (listener) => a.console.onData((p) => listener(p.slot ?? 0, p.data)),
    onConsoleState: (listener) => a.console.onState((state) => listener(state.slot ?? 0, state)),
    runStart: (slot, serial, steps) => a.run.start(serial, undefined, steps, s(slot)),
    runRerun: (slot, steps) => a.run.rerun(steps, s(slot)),
    runAbort: (slot) => a.run.abort(s(slot)),
    runSnapshot: (slot) => a.run.snapshot(s(slot)),
    onRunUpdate: (listener) => a.run.onUpdate((snapshot) => listener(snapshot.slot ?? 0, snapshot)),
    atSend: (slot, command) => a.at.send(command, s(slot)),
    atLeave: (slot) => a.at.leave(s(slot)),
  }
}
