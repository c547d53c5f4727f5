/** Named fault scenarios of the virtual K230 in burning mode. */
import type { FlashMedium } from '@shared/flash'
import type { MediumGeometry } from './medium'

/** Faults the virtual device can show; every field is optional. */
export interface VirtualFaults {
  /** Disconnect after this fraction of the bytes of the first write. */
  vanishAfterFraction?: number
  /** Fail the medium write after this fraction of the bytes of the first write. */
  writeErrorAfterFraction?: number
  /** Silently flip one bit in the middle of the first write. */
  corruptFirstWrite?: boolean
  /** Each uploaded loader is started as the loader of another medium family. */
  wrongLoader?: boolean
  /** Medium capacity override (bytes). */
  capacity?: number
  /** Medium program speed override (bytes per board second). */
  writeBytesPerSec?: number
  /** Re-enumeration delay after the loader starts (board ms). */
  reenumerateMs?: number
}

/** A named scenario: what it shows and the faults that make it. */
export interface VirtualScenario {
  name: string
  summary: string
  faults: VirtualFaults
}

/** Every scenario, `healthy` first. */
export const VIRTUAL_FLASH_SCENARIOS: VirtualScenario[] = [
  { name: 'healthy', summary: 'a K230 in burning mode that flashes and verifies', faults: {} },
  { name: 'vanish-mid-write', summary: 'the board disconnects 40% into the first part', faults: { vanishAfterFraction: 0.4 } },
  { name: 'write-error', summary: 'the medium reports a write error 50% into the first part', faults: { writeErrorAfterFraction: 0.5 } },
  { name: 'verify-mismatch', summary: 'the medium silently flips a bit: read-back differs', faults: { corruptFirstWrite: true } },
  { name: 'wrong-loader', summary: 'the started loader is built for another medium and cannot probe it', faults: { wrongLoader: true } },
  { name: 'medium-too-small', summary: 'the medium holds only 4 MiB', faults: { capacity: 4 * 1024 * 1024 } },
  { name: 'slow-device', summary: 'a slow medium (2 MB/s) and a 3 s re-enumeration', faults: { writeBytesPerSec: 2_000_000, reenumerateMs: 3000 } },
]

/** The scenario called `name`, or undefined. */
export function findVirtualScenario(name: string): VirtualScenario | undefined {
  return VIRTUAL_FLASH_SCENARIOS.find((s) => s.name === name)
}

/** Default geometry of each medium on the virtual board. */
export const DEFAULT_GEOMETRY: Record<FlashMedium, MediumGeometry> = {
  emmc: { capacity: 8 * 1024 ** 3, blockSize: 512, eraseSize: 512, timeoutMs: 1000, blank: 0x00, writeBytesPerSec: 120_000_000, eraseBytesPerSec: 2_000_000_000 },
  sd: { capacity: 32 * 1024 ** 3, blockSize: 512, eraseSize: 512, timeoutMs: 1000, blank: 0x00, writeBytesPerSec: 90_000_000, eraseBytesPerSec: 1_000_000_000 },
  'spi-nand': { capacity: 128 * 1024 ** 2, blockSize: 2048, eraseSize: 128 * 1024, timeoutMs: 5000, blank: 0xff, writeBytesPerSec: 100_000_000, eraseBytesPerSec: 64_000_000 },
  'spi-nor': { capacity: 32 * 1024 ** 2, blockSize: 256, eraseSize: 4096, timeoutMs: 5000, blank: 0xff, writeBytesPerSec: 80_000_000, eraseBytesPerSec: 400_000 },
  otp: { capacity: 1024, blockSize: 4, eraseSize: 4, timeoutMs: 5000, blank: 0x00, writeBytesPerSec: 10_000, eraseBytesPerSec: 10_000 },
}
