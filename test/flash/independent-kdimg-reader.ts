/** Minimal .kdimg reader written only from the reference sheet's format table, to check the app's parser independently. */
import { createHash } from 'node:crypto'

/** What the sheet says an entry holds. */
export interface SheetPart {
  name: string
  partOffset: number
  contentOffset: number
  contentSize: number
  sha256: string
  shaMatches: boolean
}

/** Reads the whole file buffer: magic at 0, part count at 16, version at 12, 256-byte entries at 512. */
export function readKdimgBySheet(file: Buffer): SheetPart[] {
  if (file.readUInt32LE(0) !== 0x27cb8f93) throw new Error('not a kdimg')
  const version = file.readUInt32LE(12)
  const count = file.readUInt32LE(16)
  const parts: SheetPart[] = []
  for (let i = 0; i < count; i++) {
    const base = 512 + i * 256
    const v2 = version >= 2
    const contentOffset = file.readUInt32LE(base + (v2 ? 32 : 24))
    const contentSize = file.readUInt32LE(base + (v2 ? 36 : 28))
    const shaAt = base + (v2 ? 40 : 32)
    const nameAt = base + (v2 ? 72 : 64)
    const sha256 = file.subarray(shaAt, shaAt + 32).toString('hex')
    const rawName = file.subarray(nameAt, nameAt + 32)
    const name = rawName.subarray(0, rawName.indexOf(0) < 0 ? 32 : rawName.indexOf(0)).toString('latin1')
    const actual = createHash('sha256').update(file.subarray(contentOffset, contentOffset + contentSize)).digest('hex')
    parts.push({ name, partOffset: file.readUInt32LE(base + 4), contentOffset, contentSize, sha256, shaMatches: actual === sha256 })
  }
  return parts
}
