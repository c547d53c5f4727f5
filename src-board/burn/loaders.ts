/** Loader images for the virtual K230: small tagged blobs its BootROM recognises (the real loaders are not bundled). */
import type { FlashMedium } from '@shared/flash'
import type { LoaderSource } from '@engine/flash/loaders'
import { LOADER_FILE } from '@engine/flash/protocol'

const TAG = 'VK230-LOADER:'

/** Medium family a loader serves. */
export type LoaderFamily = 'mmc' | 'spi_nand' | 'spi_nor'

/** Family of the loader Canaan uses for `medium`. */
export function familyOf(medium: FlashMedium): LoaderFamily {
  return medium === 'emmc' || medium === 'sd' ? 'mmc' : medium === 'spi-nand' ? 'spi_nand' : 'spi_nor'
}

/** Builds a virtual loader image for a family (96 KiB, tagged at the start). */
export function virtualLoaderImage(family: LoaderFamily): Uint8Array {
  const bytes = new Uint8Array(96 * 1024)
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff
  bytes.set(Buffer.from(`${TAG}${family}\0`, 'latin1'))
  return bytes
}

/** Family of a virtual loader image, or null when the bytes are not one. */
export function loaderFamilyOf(bytes: Uint8Array): LoaderFamily | null {
  const head = Buffer.from(bytes.subarray(0, 32)).toString('latin1')
  if (!head.startsWith(TAG)) return null
  const family = head.slice(TAG.length).split('\0')[0]
  return family === 'mmc' || family === 'spi_nand' || family === 'spi_nor' ? family : null
}

/** Loaders for the virtual device, named like Canaan's files. */
export function virtualLoaders(): LoaderSource {
  return {
    description: 'virtual loaders',
    async load(medium) {
      return { name: LOADER_FILE[medium], bytes: virtualLoaderImage(familyOf(medium)) }
    },
  }
}
