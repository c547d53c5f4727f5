/** Where loader binaries come from: a directory of Canaan's loader_*.bin files (they are not bundled: GPL builds). */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FlashMedium } from '@shared/flash'
import { FlashError } from './errors'
import { LOADER_FILE } from './protocol'

/** A loader image for one medium. */
export interface Loader {
  name: string
  bytes: Uint8Array
}

/** Supplies the loader that can write a medium. */
export interface LoaderSource {
  readonly description: string
  load(medium: FlashMedium): Promise<Loader>
}

/** Loaders read from `dir` by Canaan's file names; a missing file is a 'loader-missing' FlashError saying where to get it. */
export function directoryLoaders(dir: string): LoaderSource {
  return {
    description: dir,
    async load(medium) {
      const name = LOADER_FILE[medium]
      const path = join(dir, name)
      const bytes = await readFile(path).catch(() => null)
      if (!bytes || bytes.length === 0)
        throw new FlashError('loader-missing', 'noLoader', { medium, path, name })
      return { name, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) }
    },
  }
}

/** Loader directory from the environment (K230_LOADER_DIR), or undefined. */
export function loaderDirFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.K230_LOADER_DIR || undefined
}
