import type { BoardFs, CharDevice, CharDeviceHandle, FileProvider } from '../types'
import { BoardFsError } from './errors'
import { basenameOf, dirnameOf, isUnder } from './paths'

interface FileNode {
  kind: 'file'
  data: Uint8Array
  mode: number
  mtime: number
}
interface DirNode {
  kind: 'dir'
  mode: number
  mtime: number
}
type Node = FileNode | DirNode

interface ProviderEntry {
  provider: FileProvider
  mode: number
  write?: (text: string) => void
}
interface DeviceEntry {
  device: CharDevice
  present: () => boolean
}

/** One line of the mount table. */
export interface MountEntry {
  source: string
  target: string
  type: string
  options: string
}

/** A serialisable copy of a subtree, for persistence. */
export interface FsSnapshot {
  [path: string]: { kind: 'file' | 'dir'; mode: number; mtime: number; data?: string }
}

/** Options of `MemoryFs`. */
export interface MemoryFsOptions {
  /** Wall-clock seconds since the epoch, used for modification times. */
  wallClock: () => number
  /** True while the root filesystem is mounted read-only. */
  readonlyRoot: () => boolean
  /** Called after any change below `/etc`, with the path changed. */
  onEtcChange?: (path: string) => void
}

const WRITABLE_MOUNTS = ['/tmp', '/var/run', '/run', '/dev', '/proc', '/sys']
const MOUNT_GATED: Record<string, string> = { '/sys/kernel/debug': 'debugfs' }
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Converts file content (string or bytes) to bytes. */
export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data
}

/** In-memory board filesystem with dynamic providers, device nodes, a mount table and a read-only-root fault; trusts callers to pass normalised absolute paths. */
export class MemoryFs implements BoardFs {
  private readonly nodes = new Map<string, Node>()
  private readonly providers = new Map<string, ProviderEntry>()
  private readonly devices = new Map<string, DeviceEntry>()
  private readonly mounts = new Map<string, MountEntry>()

  constructor(private readonly options: MemoryFsOptions) {
    this.nodes.set('/', { kind: 'dir', mode: 0o755, mtime: 0 })
  }

  /** Registers a dynamic file (optionally writable, e.g. /proc/sys/kernel/printk). */
  provide(path: string, provider: FileProvider, extra?: { mode?: number; write?: (text: string) => void }): void {
    this.providers.set(path, { provider, mode: extra?.mode ?? (extra?.write ? 0o644 : 0o444), write: extra?.write })
  }

  /** Registers a character device node present while `present()` is true. */
  device(path: string, device: CharDevice, present: () => boolean): void {
    this.devices.set(path, { device, present })
  }

  /** True when the mount point is mounted. */
  isMounted(mountPoint: string): boolean {
    return this.mounts.has(stripSlash(mountPoint))
  }

  /** Mounts a filesystem; throws EBUSY when already mounted and ENOENT when the target is not a directory. */
  mount(entry: MountEntry): void {
    const target = stripSlash(entry.target)
    if (this.mounts.has(target)) throw new BoardFsError('EBUSY', target)
    if (!this.isDir(target)) throw new BoardFsError('ENOENT', target)
    this.mounts.set(target, { ...entry, target })
  }

  /** Replaces the mount table without checks (the mounts init makes at boot). */
  resetMounts(entries: MountEntry[]): void {
    this.mounts.clear()
    for (const e of entries) this.mounts.set(stripSlash(e.target), e)
  }

  /** Unmounts; throws EINVAL when nothing is mounted there. */
  umount(target: string): void {
    if (!this.mounts.delete(stripSlash(target))) throw new BoardFsError('EINVAL', target)
  }

  /** Lists mounted filesystems in mount order. */
  mountTable(): MountEntry[] {
    return [...this.mounts.values()]
  }

  private gatedAway(path: string): boolean {
    for (const [dir, type] of Object.entries(MOUNT_GATED)) {
      if (path !== dir && isUnder(path, dir) && this.mounts.get(dir)?.type !== type) return true
    }
    return false
  }

  private visibleDevice(path: string): DeviceEntry | undefined {
    const entry = this.devices.get(path)
    return entry && entry.present() ? entry : undefined
  }

  private providerContent(path: string): Uint8Array | null {
    const entry = this.providers.get(path)
    if (!entry || this.gatedAway(path)) return null
    const content = entry.provider()
    return content === null ? null : toBytes(content)
  }

  private implicitDir(path: string): boolean {
    const prefix = path === '/' ? '/' : path + '/'
    for (const p of this.providers.keys()) if (p.startsWith(prefix) && !this.gatedAway(p) && this.providerContent(p) !== null) return true
    for (const [p, d] of this.devices) if (p.startsWith(prefix) && d.present()) return true
    return false
  }

  exists(path: string): boolean {
    return this.visibleDevice(path) !== undefined || this.providerContent(path) !== null || this.isDir(path) || this.nodes.get(path)?.kind === 'file'
  }

  isDir(path: string): boolean {
    if (this.gatedAway(path)) return false
    return this.nodes.get(path)?.kind === 'dir' || this.implicitDir(path)
  }

  readFile(path: string): Uint8Array {
    if (this.visibleDevice(path)) return new Uint8Array()
    const provided = this.providerContent(path)
    if (provided) return provided
    const node = this.nodes.get(path)
    if (this.isDir(path)) throw new BoardFsError('EISDIR', path)
    if (!node || this.gatedAway(path)) throw new BoardFsError(this.isDir(dirnameOf(path)) ? 'ENOENT' : this.parentError(path), path)
    return node.kind === 'file' ? node.data : new Uint8Array()
  }

  readText(path: string): string {
    return decoder.decode(this.readFile(path))
  }

  /** Opens a present device node; throws ENOENT when absent. */
  openDevice(path: string): CharDeviceHandle {
    const entry = this.visibleDevice(path)
    if (!entry) throw new BoardFsError('ENOENT', path)
    return entry.device.open()
  }

  /** True when `path` is a present device node. */
  isDevice(path: string): boolean {
    return this.visibleDevice(path) !== undefined
  }

  private parentError(path: string): 'ENOENT' | 'ENOTDIR' {
    let dir = dirnameOf(path)
    while (dir !== '/' && !this.isDir(dir)) {
      if (this.nodes.get(dir)?.kind === 'file' || this.providerContent(dir) !== null) return 'ENOTDIR'
      dir = dirnameOf(dir)
    }
    return 'ENOENT'
  }

  private assertWritable(path: string): void {
    if (this.options.readonlyRoot() && !WRITABLE_MOUNTS.some((m) => isUnder(path, m))) throw new BoardFsError('EROFS', path)
  }

  private assertParent(path: string): void {
    const parent = dirnameOf(path)
    if (!this.isDir(parent)) throw new BoardFsError(this.parentError(path), path)
  }

  private touched(path: string): void {
    if (isUnder(path, '/etc')) this.options.onEtcChange?.(path)
  }

  writeFile(path: string, data: Uint8Array | string, options?: { append?: boolean; mode?: number }): void {
    const device = this.visibleDevice(path)
    if (device) {
      const handle = device.device.open()
      try {
        handle.write(data)
      } finally {
        handle.close()
      }
      return
    }
    const provider = this.providers.get(path)
    if (provider && this.providerContent(path) !== null) {
      if (!provider.write) throw new BoardFsError('EACCES', path)
      provider.write(typeof data === 'string' ? data : decoder.decode(data))
      return
    }
    if (this.isDir(path)) throw new BoardFsError('EISDIR', path)
    this.assertParent(path)
    this.assertWritable(path)
    const existing = this.nodes.get(path)
    const bytes = toBytes(data)
    const previous = existing?.kind === 'file' && options?.append ? existing.data : new Uint8Array()
    const merged = new Uint8Array(previous.length + bytes.length)
    merged.set(previous)
    merged.set(bytes, previous.length)
    const mode = existing?.kind === 'file' ? existing.mode : (options?.mode ?? 0o644)
    this.nodes.set(path, { kind: 'file', data: merged, mode, mtime: this.options.wallClock() })
    this.touched(path)
  }

  mkdir(path: string, options?: { recursive?: boolean }): void {
    if (this.exists(path)) {
      if (options?.recursive && this.isDir(path)) return
      throw new BoardFsError('EEXIST', path)
    }
    if (options?.recursive && !this.isDir(dirnameOf(path))) this.mkdir(dirnameOf(path), options)
    this.assertParent(path)
    this.assertWritable(path)
    this.nodes.set(path, { kind: 'dir', mode: 0o755, mtime: this.options.wallClock() })
    this.touched(path)
  }

  readdir(path: string): string[] {
    if (!this.isDir(path)) throw new BoardFsError(this.exists(path) ? 'ENOTDIR' : 'ENOENT', path)
    const prefix = path === '/' ? '/' : path + '/'
    const names = new Set<string>()
    const add = (p: string): void => {
      if (!p.startsWith(prefix) || p === path) return
      const rest = p.slice(prefix.length)
      const name = rest.split('/')[0]
      if (name) names.add(name)
    }
    for (const p of this.nodes.keys()) if (!this.gatedAway(p)) add(p)
    for (const p of this.providers.keys()) if (this.providerContent(p) !== null) add(p)
    for (const [p, d] of this.devices) if (d.present()) add(p)
    return [...names].sort()
  }

  unlink(path: string): void {
    if (this.isDir(path)) throw new BoardFsError('EISDIR', path)
    if (!this.nodes.has(path)) {
      if (this.exists(path)) throw new BoardFsError('EACCES', path)
      throw new BoardFsError('ENOENT', path)
    }
    this.assertWritable(path)
    this.nodes.delete(path)
    this.touched(path)
  }

  /** Removes an empty directory (or, with recursive, a whole subtree of regular nodes). */
  rmdir(path: string, options?: { recursive?: boolean }): void {
    if (!this.isDir(path)) throw new BoardFsError(this.exists(path) ? 'ENOTDIR' : 'ENOENT', path)
    if (path === '/') throw new BoardFsError('EBUSY', path)
    const children = this.readdir(path)
    if (children.length > 0 && !options?.recursive) throw new BoardFsError('ENOTEMPTY', path)
    this.assertWritable(path)
    for (const p of [...this.nodes.keys()]) if (isUnder(p, path)) this.nodes.delete(p)
    this.touched(path)
  }

  rename(from: string, to: string): void {
    const node = this.nodes.get(from)
    if (!node) throw new BoardFsError(this.exists(from) ? 'EACCES' : 'ENOENT', from)
    let target = to
    if (this.isDir(to) && node.kind === 'file') target = (to === '/' ? '' : to) + '/' + basenameOf(from)
    this.assertParent(target)
    this.assertWritable(from)
    this.assertWritable(target)
    for (const p of [...this.nodes.keys()]) {
      if (!isUnder(p, from)) continue
      const moved = this.nodes.get(p) as Node
      this.nodes.delete(p)
      this.nodes.set(target + p.slice(from.length), moved)
    }
    this.touched(from)
    this.touched(target)
  }

  chmod(path: string, mode: number): void {
    const node = this.nodes.get(path)
    if (!node) throw new BoardFsError(this.exists(path) ? 'EPERM' : 'ENOENT', path)
    this.assertWritable(path)
    node.mode = mode & 0o7777
    this.touched(path)
  }

  /** Sets a node's modification time (for `touch`); creates an empty file when missing. */
  touch(path: string): void {
    const node = this.nodes.get(path)
    if (node) {
      this.assertWritable(path)
      node.mtime = this.options.wallClock()
      this.touched(path)
    } else if (!this.exists(path)) this.writeFile(path, '')
  }

  stat(path: string): { mode: number; size: number; isDir: boolean; isDevice: boolean; mtime: number } {
    if (this.visibleDevice(path)) return { mode: 0o660, size: 0, isDir: false, isDevice: true, mtime: 0 }
    const provider = this.providers.get(path)
    const provided = this.providerContent(path)
    if (provider && provided) return { mode: provider.mode, size: provided.length, isDir: false, isDevice: false, mtime: this.options.wallClock() }
    const node = this.nodes.get(path)
    if (node && !this.gatedAway(path)) return { mode: node.mode, size: node.kind === 'file' ? node.data.length : 0, isDir: node.kind === 'dir', isDevice: false, mtime: node.mtime }
    if (this.isDir(path)) return { mode: 0o755, size: 0, isDir: true, isDevice: false, mtime: 0 }
    throw new BoardFsError('ENOENT', path)
  }

  /** Deletes every regular node strictly below `dir` (tmpfs contents lost at reboot). */
  clearBelow(dir: string): void {
    for (const p of [...this.nodes.keys()]) if (p !== dir && isUnder(p, dir)) this.nodes.delete(p)
  }

  /** Serialises the regular nodes below `dir` (inclusive). */
  snapshot(dir: string): FsSnapshot {
    const out: FsSnapshot = {}
    for (const [p, node] of this.nodes) {
      if (!isUnder(p, dir)) continue
      out[p] = { kind: node.kind, mode: node.mode, mtime: node.mtime, ...(node.kind === 'file' ? { data: Buffer.from(node.data).toString('base64') } : {}) }
    }
    return out
  }

  /** Replaces the subtree `dir` with a snapshot taken by `snapshot`. */
  restore(dir: string, snapshot: FsSnapshot): void {
    for (const p of [...this.nodes.keys()]) if (isUnder(p, dir)) this.nodes.delete(p)
    for (const [p, entry] of Object.entries(snapshot).sort(([a], [b]) => a.localeCompare(b))) {
      if (!isUnder(p, dir)) continue
      if (entry.kind === 'dir') this.nodes.set(p, { kind: 'dir', mode: entry.mode, mtime: entry.mtime })
      else this.nodes.set(p, { kind: 'file', mode: entry.mode, mtime: entry.mtime, data: new Uint8Array(Buffer.from(entry.data ?? '', 'base64')) })
    }
  }

  /** Creates a directory or file without the read-only check (building the rootfs image). */
  seed(path: string, content?: string | Uint8Array, mode?: number): void {
    let dir = dirnameOf(path)
    const missing: string[] = []
    while (!this.nodes.has(dir)) {
      missing.unshift(dir)
      dir = dirnameOf(dir)
    }
    for (const d of missing) this.nodes.set(d, { kind: 'dir', mode: 0o755, mtime: 0 })
    if (content === undefined) this.nodes.set(path, { kind: 'dir', mode: mode ?? 0o755, mtime: 0 })
    else this.nodes.set(path, { kind: 'file', data: toBytes(content), mode: mode ?? 0o644, mtime: 0 })
  }
}

function stripSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path
}
