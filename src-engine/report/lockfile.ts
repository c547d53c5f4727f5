import { open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'

/** Options of a lock-file wait. */
export interface LockOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number
  /** A lock older than this whose holder cannot be checked is stale (default 60 s). */
  staleMs?: number
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)])
    const [pidText, host] = text.split('\n')
    const pid = Number(pidText)
    if (host === hostname() && Number.isInteger(pid) && pid > 0) return !alive(pid)
    return Date.now() - info.mtimeMs > staleMs
  } catch {
    return false
  }
}

async function breakStaleLock(lockPath: string): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}-${Date.now()}`
  try {
    await rename(lockPath, aside)
    await unlink(aside)
  } catch {
    /* another waiter broke it first */
  }
}

/** Runs `fn` while holding `lockPath` (created with O_EXCL, holding pid and host); waits for a live holder, breaks a dead one's lock, and always releases. */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000)
  const staleMs = options.staleMs ?? 60_000
  let pause = 2
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx')
      try {
        await handle.writeFile(`${process.pid}\n${hostname()}\n${new Date().toISOString()}\n`)
      } finally {
        await handle.close()
      }
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (await isStale(lockPath, staleMs)) {
        await breakStaleLock(lockPath)
        continue
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for lock ${lockPath} (held by another process; delete it if no k230-bringup is running)`, { cause: error })
      await new Promise((resolve) => setTimeout(resolve, pause))
      pause = Math.min(pause * 2, 50)
    }
  }
  try {
    return await fn()
  } finally {
    await unlink(lockPath).catch(() => undefined)
  }
}
