/** One kernel ring-buffer record. */
export interface KernelRecord {
  seconds: number
  level: number
  message: string
}

/** Formats uptime seconds as the kernel does: `[    3.164090]`. */
export function formatKernelTime(seconds: number): string {
  const whole = Math.floor(seconds)
  const micros = Math.floor((seconds - whole) * 1e6 + 1e-6)
  return `[${String(whole).padStart(5, ' ')}.${String(micros).padStart(6, '0')}]`
}

/** The kernel log ring buffer and printk console level (as in /proc/sys/kernel/printk). */
export class KernelLog {
  private records: KernelRecord[] = []
  consoleLevel = 7
  readonly defaultMessageLevel = 4
  readonly minimumConsoleLevel = 1
  readonly defaultConsoleLevel = 7

  constructor(private readonly capacity = 4096) {}

  /** Stores a record; returns true when it should also be printed on the console. */
  add(record: KernelRecord): boolean {
    this.records.push(record)
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity)
    return record.level < this.consoleLevel
  }

  /** Lines as `dmesg` prints them. */
  lines(): string[] {
    return this.records.map((r) => `${formatKernelTime(r.seconds)} ${r.message}`)
  }

  clear(): void {
    this.records = []
  }

  /** Content of /proc/sys/kernel/printk. */
  printkText(): string {
    return `${this.consoleLevel}\t${this.defaultMessageLevel}\t${this.minimumConsoleLevel}\t${this.defaultConsoleLevel}\n`
  }

  /** Applies a write to /proc/sys/kernel/printk (first number = console level); ignores junk. */
  writePrintk(text: string): void {
    const first = /^\s*(\d+)/.exec(text)
    if (first) this.consoleLevel = Math.min(8, Math.max(1, Number(first[1])))
  }
}
