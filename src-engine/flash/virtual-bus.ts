/** The engine's view of the virtual boards in burning mode: a factory the composition roots provide (src-board/burn), never imported here. */
import { FlashError } from './errors'
import type { UsbBus } from './transport'

/** What a virtual burning-mode bus is made from. */
export interface VirtualBurnBusOptions {
  /** Flash scenario name (`healthy`, ...). */
  scenario?: string
  /** Boards on the bus (USB ports 1-1, 1-2, ...); default 1. */
  boards?: number
  /** 1 = real time; 0.01 = 100x faster. */
  timeScale?: number
}

/** Makes a virtual burning-mode bus (src-board/burn's createVirtualBurnBus). */
export type VirtualBurnBusFactory = (options: VirtualBurnBusOptions) => UsbBus

let provided: VirtualBurnBusFactory | undefined
let chosen: (() => Promise<UsbBus>) | undefined

/** Registers the factory of virtual burning-mode buses; the composition roots (services, CLI, benches, tests) call it with the board's. */
export function provideVirtualBurnBus(factory: VirtualBurnBusFactory): void {
  provided = factory
}

/** A virtual burning-mode bus from the registered factory; throws a clear error when none was provided. */
export function virtualBurnBus(options: VirtualBurnBusOptions): UsbBus {
  if (!provided) throw new FlashError('usage', 'noVirtualBus')
  return provided(options)
}

/** Makes `defaultBurnBus()` use `make` instead of the real USB (a composition root decides, e.g. from its environment); undefined goes back to real USB. */
export function chooseDefaultBurnBus(make: (() => Promise<UsbBus>) | undefined): void {
  chosen = make
}

/** The bus a composition root chose for `defaultBurnBus()`, if any. */
export function chosenDefaultBurnBus(): (() => Promise<UsbBus>) | undefined {
  return chosen
}
