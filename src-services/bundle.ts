/** Support bundles: one zip (yazl) with a manifest listing every file's SHA-256, read back (yauzl) only when every check holds. */
import { createHash } from 'node:crypto'
import { createWriteStream, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import yazl from 'yazl'
import yauzl from 'yauzl'
import type { RunRecord } from '@shared/record'
import { replaceFileAtomic } from '@engine/files/atomic'
import type serviceEn from '@shared/i18n/engine/service-en'
import { keyedText } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'
import { thrownDetail } from '@shared/thrown'

const english = translator('en')

/** The manifest's `kind`; a zip without it is not a support bundle. */
export const BUNDLE_KIND = 'k230-support-bundle'
const BUNDLE_VERSION = 1
const MAX_ENTRIES = 2000
const MAX_TOTAL_BYTES = 256 * 1024 * 1024

/** One file inside a bundle. */
export interface BundleFile {
  name: string
  data: Buffer
}

/** `manifest.json`: what the bundle is, for which unit, from which app, and each file's hash. */
export interface BundleManifest {
  kind: typeof BUNDLE_KIND
  version: number
  appVersion: string
  createdAt: string
  unit: string
  notes: string
  files: { name: string; size: number; sha256: string }[]
}

/** A bundle that failed a check: the reason names the file or the check. */
export class BundleError extends Error {
  readonly code = 'bad-bundle'
  /** The reason in English, for logs. */
  readonly reason: string
  constructor(
    readonly why: keyof typeof serviceEn.bundle,
    readonly params: Record<string, string | number> = {},
  ) {
    const reason = keyedText(english, { key: `serviceError.bundle.${why}`, params })
    super(`This support bundle is damaged or not a support bundle: ${reason}`)
    this.reason = reason
    this.name = 'BundleError'
  }
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')

/** Writes `files` plus a manifest into the zip at `path` (atomically, through a temporary file). */
export async function writeBundle(path: string, meta: Omit<BundleManifest, 'kind' | 'version' | 'files'>, files: BundleFile[]): Promise<BundleManifest> {
  const manifest: BundleManifest = { kind: BUNDLE_KIND, version: BUNDLE_VERSION, ...meta, files: files.map((f) => ({ name: f.name, size: f.data.length, sha256: sha256(f.data) })) }
  const zip = new yazl.ZipFile()
  const mtime = new Date(meta.createdAt)
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), 'manifest.json', { mtime })
  for (const f of files) zip.addBuffer(f.data, f.name, { mtime })
  zip.end()
  mkdirSync(dirname(path), { recursive: true })
  await replaceFileAtomic(path, (tmp) =>
    new Promise<void>((resolve, reject) => {
      const out = createWriteStream(tmp)
      out.on('error', reject)
      out.on('close', () => resolve())
      zip.outputStream.on('error', reject).pipe(out)
    }),
  )
  return manifest
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (error, zip) => (error ? reject(new BundleError('open', thrownDetail(error, path))) : resolve(zip))))
}

function readEntries(zip: yauzl.ZipFile): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>()
    let total = 0
    const fail = (why: keyof typeof serviceEn.bundle, params: Record<string, string | number>) => {
      zip.close()
      reject(new BundleError(why, params))
    }
    zip.on('error', (error: Error) => fail('open', thrownDetail(error)))
    zip.on('end', () => resolve(files))
    zip.on('entry', (entry: yauzl.Entry) => {
      if (files.size >= MAX_ENTRIES) return fail('tooManyFiles', { max: MAX_ENTRIES })
      if (entry.fileName.endsWith('/')) return zip.readEntry()
      total += entry.uncompressedSize
      if (total > MAX_TOTAL_BYTES) return fail('tooLarge', { mib: MAX_TOTAL_BYTES / 1024 / 1024 })
      zip.openReadStream(entry, (error, stream) => {
        if (error) return fail('entry', { name: entry.fileName, detail: error.message })
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('error', (e: Error) => fail('entry', { name: entry.fileName, detail: e.message }))
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks))
          zip.readEntry()
        })
      })
    })
    zip.readEntry()
  })
}

function parseManifest(data: Buffer | undefined): BundleManifest {
  if (!data) throw new BundleError('noManifest')
  let m: BundleManifest
  try {
    m = JSON.parse(data.toString('utf8')) as BundleManifest
  } catch (error) {
    throw new BundleError('manifestNotJson', { detail: error instanceof Error ? error.message : String(error) })
  }
  if (m?.kind !== BUNDLE_KIND) throw new BundleError('notBundle')
  if (m.version !== BUNDLE_VERSION) throw new BundleError('version', { version: String(m.version), supported: BUNDLE_VERSION })
  if (!Array.isArray(m.files) || typeof m.unit !== 'string' || typeof m.appVersion !== 'string' || typeof m.createdAt !== 'string') throw new BundleError('noFileList')
  return { ...m, notes: typeof m.notes === 'string' ? m.notes : '' }
}

function looksLikeRecord(v: unknown): v is RunRecord {
  const r = v as RunRecord
  return !!r && typeof r === 'object' && typeof r.id === 'string' && typeof r.startedAt === 'string' && Array.isArray(r.steps) && typeof r.unit === 'object' && typeof r.verdict === 'string'
}

/** Reads a bundle: every file the manifest lists must be present with its hash, and every record must parse. */
export async function readBundle(path: string): Promise<{ manifest: BundleManifest; files: Map<string, Buffer>; records: RunRecord[] }> {
  const files = await readEntries(await openZip(path))
  const manifest = parseManifest(files.get('manifest.json'))
  for (const f of manifest.files) {
    const data = files.get(f.name)
    if (!data) throw new BundleError('missing', { name: f.name })
    if (data.length !== f.size || sha256(data) !== f.sha256) throw new BundleError('checksum', { name: f.name })
  }
  const records: RunRecord[] = []
  for (const f of manifest.files.filter((x) => /^records\/[^/]+\.json$/.test(x.name))) {
    let value: unknown
    try {
      value = JSON.parse((files.get(f.name) as Buffer).toString('utf8'))
    } catch {
      throw new BundleError('notJson', { name: f.name })
    }
    if (!looksLikeRecord(value)) throw new BundleError('notRecord', { name: f.name })
    records.push(value)
  }
  if (!records.length) throw new BundleError('noRecord')
  return { manifest, files, records }
}
