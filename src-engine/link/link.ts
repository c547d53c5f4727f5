/** The console link: one byte pipe to a board, whether a serial port or the in-process virtual board. */

export interface Link {
  /** Human name: the port path or `virtual:SCENARIO`. */
  readonly name: string
  readonly baudRate: number
  readonly isOpen: boolean
  /** Writes bytes; resolves when handed to the OS (drained). Rejects with LinkLostError after an unplug. */
  write(data: Uint8Array | string): Promise<void>
  /** Subscribes to received bytes; returns the unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void
  /** Subscribes to the link closing; `error` is a LinkLostError when it was not asked for. Fires once. */
  onClose(listener: (error?: LinkLostError) => void): () => void
  close(): Promise<void>
  /** Holds the line in break for `ms` (serial ports only: the virtual board has no break line). */
  sendBreak?(ms: number): Promise<void>
  /** Ends the link as lost (onClose gets a LinkLostError), for a port the system no longer lists while its driver stays silent (serial ports only). */
  lose?(detail: string): Promise<void>
}

/** The link went away without being asked to (unplug, board power loss on a USB bridge). */
export class LinkLostError extends Error {
  readonly code = 'link-lost'
  constructor(
    readonly link: string,
    detail?: string,
  ) {
    super(`Link lost on ${link}${detail ? `: ${detail}` : ''}`)
    this.name = 'LinkLostError'
  }
}
