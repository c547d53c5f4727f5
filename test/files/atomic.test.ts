import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { relative } from 'node:path'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { replaceFileAtomic, writeFileAtomic, writeFileAtomicAsync } from '@engine/files/atomic'

const folders: string[] = []
function folder(base = tmpdir()): string {
  const dir = mkdtempSync(join(base, 'k230-atomic-'))
  folders.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('the one atomic writer', () => {
  it('replaces a file on a real tmpfs (/dev/shm) and leaves only the file', async () => {
    const dir = folder(existsSync('/dev/shm') ? '/dev/shm' : tmpdir())
    const path = join(dir, 'index.json')
    writeFileAtomic(path, 'old\n')
    await writeFileAtomicAsync(path, new Uint8Array([110, 101, 119, 10]))
    expect(readFileSync(path, 'utf8')).toBe('new\n')
    expect(readdirSync(dir)).toEqual(['index.json'])
  })

  it('gives the new file the requested permission bits (a private key is 0600)', () => {
    const dir = folder()
    const path = join(dir, 'station.key')
    writeFileAtomic(path, 'secret', { mode: 0o600 })
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('a rename that really fails (target is a non-empty folder) leaves no temporary and the target untouched', async () => {
    const dir = folder()
    const target = join(dir, 'r.json')
    mkdirSync(target)
    writeFileSync(join(target, 'keep.txt'), 'kept')
    expect(() => writeFileAtomic(target, 'new')).toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/)
    await expect(writeFileAtomicAsync(target, 'new')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/)
    expect(readdirSync(dir)).toEqual(['r.json'])
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('kept')
  })

  it('a writer that fails half-way (a PDF printer, a zip stream) leaves the old file and no partial one', async () => {
    const dir = folder()
    const path = join(dir, 'report.pdf')
    writeFileAtomic(path, 'old pdf')
    await expect(
      replaceFileAtomic(path, async (temp) => {
        writeFileSync(temp, 'half a pd')
        throw new Error('printer died')
      }),
    ).rejects.toThrow('printer died')
    expect(readFileSync(path, 'utf8')).toBe('old pdf')
    expect(readdirSync(dir)).toEqual(['report.pdf'])
  })

  it('a writer that produced nothing is an error, not an empty file', async () => {
    const dir = folder()
    const path = join(dir, 'report.pdf')
    await expect(replaceFileAtomic(path, async () => undefined)).rejects.toThrow(/ENOENT/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('the temporary is in the target folder while it is written', async () => {
    const dir = folder()
    const path = join(dir, 'bundle.zip')
    let seen: string[] = []
    await replaceFileAtomic(path, async (temp) => {
      writeFileSync(temp, 'zip')
      seen = readdirSync(dir)
    })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatch(/^\.bundle\.zip\.\d+-\d+\.tmp$/)
    expect(readdirSync(dir)).toEqual(['bundle.zip'])
  })

  it('no other module hand-rolls a write-then-rename (the lock file renames a stale lock aside, it replaces no content)', () => {
    const root = join(__dirname, '../..')
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name)
        return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : []
      })
    const offenders = ['src-engine', 'src-services', 'src-cli', 'src-main', 'src-webhost']
      .flatMap((d) => sources(join(root, d)))
      .map((f) => relative(root, f))
      .filter((f) => f !== join('src-engine', 'files', 'atomic.ts') && f !== join('src-engine', 'report', 'lockfile.ts'))
      .filter((f) => {
        const text = readFileSync(join(root, f), 'utf8')
        return /\brename(Sync)?\(/.test(text) && /writeFile(Sync)?\(|createWriteStream\(|writeSync\(/.test(text)
      })
    expect(offenders).toEqual([])
  })
})
