/** Console lines that mean the board rebooted or the kernel failed (after LAVA's kernel-message table). */

/** What a console line reveals about the board. */
export type ConsoleFault = { kind: 'reboot' | 'oops' | 'panic'; line: string }

const REBOOT_TEXT = [/U-Boot SPL 20\d\d/, /^U-Boot 20\d\d/, /Starting kernel \.\.\./]
const REBOOT_KERNEL = [/\]\s*Linux version \d/, /\]\s*Booting Linux on physical CPU/]
const PANIC_KERNEL = [/Kernel panic - not syncing/, /\]\s*Kernel panic/]
const OOPS_KERNEL = [/Internal error: Oops/, /\]\s*Oops[:\s]/, /Unable to handle kernel/, /\]\s*BUG: /, /------------\[ cut here \]------------/]

/** Classifies a normal (non-kernel) console line. */
export function textLineFault(line: string): ConsoleFault | undefined {
  if (REBOOT_TEXT.some((re) => re.test(line))) return { kind: 'reboot', line }
  if (/Kernel panic - not syncing/.test(line)) return { kind: 'panic', line }
  return undefined
}

/** Classifies a kernel line (`[  12.345678] ...`). */
export function kernelLineFault(line: string): ConsoleFault | undefined {
  if (PANIC_KERNEL.some((re) => re.test(line))) return { kind: 'panic', line }
  if (REBOOT_KERNEL.some((re) => re.test(line))) return { kind: 'reboot', line }
  if (OOPS_KERNEL.some((re) => re.test(line))) return { kind: 'oops', line }
  return undefined
}
