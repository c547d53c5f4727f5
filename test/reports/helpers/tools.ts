import { spawnSync } from 'node:child_process'

/** Whether a command is on PATH. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0
}

/** Whether fontconfig knows a font covering Simplified Chinese. */
export function hasCjkFont(): boolean {
  const r = spawnSync('fc-list', [':lang=zh-cn'], { encoding: 'utf8' })
  return r.status === 0 && r.stdout.trim().length > 0
}

/** Returns a copy of the bytes with the byte at `index` changed to a different value. */
export function flipByte(bytes: Buffer, index: number, delta = 1): Buffer {
  const copy = Buffer.from(bytes)
  copy[index] = (copy[index] + delta) % 256
  return copy
}
