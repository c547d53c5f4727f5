import type { CommandImpl, CommandRegistry } from '../types'

/** Default install locations of BusyBox applets (others go to /usr/bin). */
const APPLET_DIRS: Record<string, string[]> = {
  '/bin': 'base64 busybox cat chmod cp date dd dmesg echo false grep hostname kill ln ls mkdir mknod mount mv ping ps pwd rm rmdir sh sleep stty sync touch true umount uname usleep zcat gunzip'.split(' '),
  '/sbin': 'halt ifconfig poweroff reboot route udhcpc'.split(' '),
  '/usr/bin': '[ basename cut dirname env expr head id killall md5sum microcom printf seq sha256sum sort tail tee test timeout tr uptime wc which xargs yes'.split(' '),
}

/** Returns where an applet lives by default, e.g. `/bin/cat`. */
export function defaultAppletPath(name: string): string {
  for (const [dir, names] of Object.entries(APPLET_DIRS)) if (names.includes(name)) return `${dir}/${name}`
  return `/usr/bin/${name}`
}

/** Command registry mapping names and install paths to implementations; trusts names to be plain words. */
export class CommandTable implements CommandRegistry {
  private readonly impls = new Map<string, CommandImpl>()
  private readonly paths = new Map<string, string>()

  constructor(private readonly onRegister?: (path: string, name: string) => void) {}

  register(name: string, impl: CommandImpl, options?: { path?: string }): void {
    const path = options?.path ?? defaultAppletPath(name)
    for (const [p, n] of this.paths) if (n === name) this.paths.delete(p)
    this.impls.set(name, impl)
    this.paths.set(path, name)
    this.onRegister?.(path, name)
  }

  has(name: string): boolean {
    return this.impls.has(name)
  }

  get(name: string): CommandImpl | undefined {
    return this.impls.get(name)
  }

  unregister(name: string): void {
    this.impls.delete(name)
  }

  /** The command name installed at `path`, while it is registered. */
  nameAt(path: string): string | undefined {
    const name = this.paths.get(path)
    return name !== undefined && this.impls.has(name) ? name : undefined
  }

  /** The install path of a registered command. */
  pathOf(name: string): string | undefined {
    if (!this.impls.has(name)) return undefined
    for (const [p, n] of this.paths) if (n === name) return p
    return undefined
  }
}
