/** Finding K230/K230D boards in burning mode by USB port path, their stage, hot-plug, and waiting for re-enumeration. */
import { readCpuInfo, stageOfCpuInfo, type BurnStage } from './brom'
import { FlashError } from './errors'
import { K230_BURN_PID, K230_BURN_VID } from './protocol'
import type { UsbBus } from './transport'

/** A board in burning mode as `k230-bringup devices` shows it. */
export interface BurningDevice {
  address: string
  /** Same as address (what UI lists key on). */
  id: string
  /** "K230/K230D 1-2 (BootROM)". */
  label: string
  /** K230 and K230D share 29f1:0230 and cannot be told apart over USB. */
  chip: 'K230/K230D'
  stage: BurnStage
  /** Why the stage is unknown (device busy, no permission). */
  note?: string
}

/** Reads the stage of the board at `address` (opens, asks GET_CPU_INFO, closes). */
export async function probeStage(bus: UsbBus, address: string): Promise<BurnStage> {
  const handle = await bus.open(address)
  try {
    return stageOfCpuInfo(await readCpuInfo(handle))
  } finally {
    await handle.close()
  }
}

/** Lists boards in burning mode; rejects 'usb-unavailable' when USB cannot be read at all. */
export async function listBurningDevices(bus: UsbBus): Promise<BurningDevice[]> {
  const found = await bus.list(K230_BURN_VID, K230_BURN_PID)
  const devices: BurningDevice[] = []
  for (const info of found.sort((a, b) => a.address.localeCompare(b.address, undefined, { numeric: true }))) {
    try {
      const stage = await probeStage(bus, info.address)
      devices.push({ address: info.address, id: info.address, label: labelOf(info.address, stage), chip: 'K230/K230D', stage })
    } catch (error) {
      devices.push({ address: info.address, id: info.address, label: labelOf(info.address, 'unknown'), chip: 'K230/K230D', stage: 'unknown', note: error instanceof Error ? error.message : String(error) })
    }
  }
  return devices
}

const STAGE_LABEL: Record<BurnStage, string> = { brom: 'BootROM', loader: 'loader running', unknown: 'stage unknown' }

function labelOf(address: string, stage: BurnStage): string {
  return `K230/K230D ${address} (${STAGE_LABEL[stage]})`
}

/** Calls `onChange` with the current list now and after every attach/detach; returns the stop function. */
export function watchBurningDevices(bus: UsbBus, onChange: (devices: BurningDevice[]) => void, onError?: (error: FlashError) => void): () => void {
  let stopped = false
  let queue = Promise.resolve()
  const refresh = () => {
    queue = queue.then(async () => {
      if (stopped) return
      try {
        const devices = await listBurningDevices(bus)
        if (!stopped) onChange(devices)
      } catch (error) {
        if (error instanceof FlashError) onError?.(error)
        else throw error
      }
    })
  }
  const unwatch = bus.watch(refresh)
  refresh()
  return () => {
    stopped = true
    unwatch()
  }
}

/** Waits until the board at `address` answers as `stage`, polling and waking on attach; rejects 'handoff-timeout'. */
export async function waitForStage(bus: UsbBus, address: string, stage: BurnStage, options: { timeoutMs: number; pollMs: number; signal?: AbortSignal }): Promise<void> {
  const deadline = performance.now() + options.timeoutMs
  let wake: (() => void) | null = null
  const unwatch = bus.watch((event) => {
    if (event.address === address && event.type === 'attach') wake?.()
  })
  try {
    for (;;) {
      if (options.signal?.aborted) throw new FlashError('aborted', 'aborted')
      const present = (await bus.list(K230_BURN_VID, K230_BURN_PID)).some((d) => d.address === address)
      if (present && (await probeStage(bus, address).catch(() => 'unknown' as const)) === stage) return
      const left = deadline - performance.now()
      if (left <= 0) break
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(options.pollMs, left))
        function done() {
          clearTimeout(timer)
          wake = null
          resolve()
        }
        wake = done
      })
    }
  } finally {
    unwatch()
  }
  throw new FlashError('handoff-timeout', 'handoffTimeout', { address, stage: stage === 'loader' ? 'loader' : 'brom', seconds: (options.timeoutMs / 1000).toFixed(options.timeoutMs < 10_000 ? 1 : 0) })
}
