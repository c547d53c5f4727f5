/** Shared test helpers of the flash tier: temp dirs, image files, a flash on the virtual bus. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import type { FlashMedium, FlashResult } from '@shared/flash'
import { flash, type FlashOptions } from '@engine/flash/flasher'
import { createVirtualBurnBus, type VirtualBurnBus } from '@board/burn/bus'
import { virtualLoaders } from '@board/burn/loaders'
import { buildKdimg, patternBytes, type BuildPart } from './kdimg-builder'

/** A fresh temp dir and its remover. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'k230-flash-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Writes a file and returns its path. */
export function put(dir: string, name: string, data: Uint8Array | string): string {
  const path = join(dir, name)
  writeFileSync(path, data)
  return path
}

/** Parts of a typical firmware image for `medium` (offsets aligned to the medium's erase size). */
export function firmwareParts(medium: FlashMedium): BuildPart[] {
  const base = medium === 'spi-nor' ? 0x0 : medium === 'spi-nand' ? 0x0 : 0x100000
  return [
    { name: 'uboot_spl', offset: base, data: patternBytes(70_000, 11) },
    { name: 'uboot', offset: base + 0x80000, data: patternBytes(400_000, 12), eraseSize: 0x80000 },
    { name: 'rtt', offset: base + 0x200000, data: patternBytes(1_300_001, 13) },
    { name: 'small', offset: base + 0x400000, data: patternBytes(1000, 14) },
  ]
}

/** Builds a kdimg for `medium` with padding bytes as the SDK producer uses. */
export function firmwareImage(medium: FlashMedium): Buffer {
  return buildKdimg(firmwareParts(medium), { pad: medium === 'emmc' || medium === 'sd' ? 0x00 : 0xff })
}

/** Flashes `imagePath` on a fresh virtual bus running `scenario` (fast time scale). */
export async function flashVirtual(imagePath: string, medium: FlashMedium, scenario = 'healthy', extra: Partial<FlashOptions> = {}): Promise<{ result: FlashResult; bus: VirtualBurnBus }> {
  const bus = createVirtualBurnBus({ scenario, timeScale: 0.002 })
  const result = await flash({ bus, imagePath, medium, loaders: virtualLoaders(), scenario, handoffTimeoutMs: 5000, pollMs: 20, chunkTimeoutMs: 3000, ...extra })
  return { result, bus }
}

/** True when a command exists on PATH. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0
}
