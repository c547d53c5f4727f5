/** Console lines that mean the board rebooted or the kernel failed (after LAVA's kernel-message table). */

/** What a console line reveals about the board. */
export type ConsoleFault = { kind: 'reboot' | 'oops' | 'panic'; line: string; source: 'text' | 'kernel' }

const REBOOT_TEXT = [/U-Boot SPL 20\d\d/, /^U-Boot 20\d\d/, /Starting kernel \.\.\./, /^OpenSBI v\d/]
const REBOOT_KERNEL = [/\]\s*Linux version \d/, /\]\s*Booting Linux on physical CPU/]
const PANIC_KERNEL = [/Kernel panic - not syncing/, /\]\s*Kernel panic/]
const OOPS_KERNEL = [/Internal error: Oops/, /\]\s*Oops[:\s]/, /Unable to handle kernel/, /\]\s*BUG: /, /------------\[ cut here \]------------/]

/** Classifies a normal (non-kernel) console line. */
export function textLineFault(line: string): ConsoleFault | undefined {
  if (REBOOT_TEXT.some((re) => re.test(line))) return { kind: 'reboot', line, source: 'text' }
  if (/Kernel panic - not syncing/.test(line)) return { kind: 'panic', line, source: 'text' }
  return undefined
}

/** Classifies a kernel line (`[  12.345678] ...`); a boot line during a command may be `dmesg` output, so the session only trusts it between commands. */
export function kernelLineFault(line: string): ConsoleFault | undefined {
  if (PANIC_KERNEL.some((re) => re.test(line))) return { kind: 'panic', line, source: 'kernel' }
  if (REBOOT_KERNEL.some((re) => re.test(line))) return { kind: 'reboot', line, source: 'kernel' }
  if (OOPS_KERNEL.some((re) => re.test(line))) return { kind: 'oops', line, source: 'kernel' }
  return undefined
}
