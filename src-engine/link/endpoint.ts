/** The engine's view of a simulated console endpoint and of the factory that makes one; the virtual board (src-board) satisfies it and is injected, never imported. */

/** Options of a simulated console, handed to the injected factory as they are. */
export interface SimOptions {
  /** Scenario name (`k230-bringup scenarios` lists them); default `healthy`. */
  scenario?: string
  seed?: number
  /** 1 = real time; 0.01 = 100x faster. */
  timeScale?: number
  baud?: number
  lineRate?: boolean
  login?: boolean
  autoPowerOn?: boolean
  persistDir?: string
}

/** A console endpoint: bytes typed in, bytes printed out, an unplug signal. */
export interface ConsoleEndpoint {
  readonly options: { readonly scenario: string; readonly baud: number }
  write(data: Uint8Array | string): void
  onData(listener: (chunk: Uint8Array) => void): () => void
  onUnplug(listener: () => void): () => void
  close(): void
}

/** Makes a simulated console endpoint (the virtual board's createVirtualBoard). */
export type EndpointFactory = (options: SimOptions) => ConsoleEndpoint

let provided: EndpointFactory | undefined

/** Registers the factory `connect({ sim })` uses; the composition roots (CLI, services, tests) call it with the virtual board's. */
export function provideVirtualBoards(factory: EndpointFactory): void {
  provided = factory
}

/** The registered factory; throws a clear error when none was provided. */
export function virtualBoardFactory(): EndpointFactory {
  if (!provided) throw new Error('No virtual board is available here: the application must provide one (provideVirtualBoards) before connecting to a simulated console')
  return provided
}
