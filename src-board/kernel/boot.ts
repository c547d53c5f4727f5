import type { BoardState, Rng } from '../types'

/** One timed kernel line of the boot log. */
export interface BootLine {
  seconds: number
  message: string
  level: number
}

/** What the console shows before the kernel starts (U-Boot SPL, U-Boot, OpenSBI). */
export function firmwareBanner(): string[] {
  return [
    '',
    'U-Boot SPL 2022.10 (Apr 27 2024 - 10:02:17 +0800)',
    'lpddr4 init ok',
    'Trying to boot from MMC2',
    '',
    '',
    'U-Boot 2022.10 (Apr 27 2024 - 10:02:17 +0800)',
    '',
    'CPU:   rv64imafdcvsu',
    'Model: kendryte k230 canmv',
    'DRAM:  512 MiB',
    'Core:  24 devices, 12 uclasses, devicetree: separate',
    'MMC:   mmc0@91580000: 0, mmc1@91581000: 1',
    'In:    serial@91400000',
    'Out:   serial@91400000',
    'Err:   serial@91400000',
    'Net:   No ethernet found.',
    'Hit any key to stop autoboot:  0 ',
    'jump to linux',
    '',
    'OpenSBI v0.9',
    'Platform Name             : Kendryte K230 CanMV',
    'Platform HART Count       : 1',
    'Boot HART ISA             : rv64imafdcvsux',
    '',
  ]
}

/** Parses a `[    3.164090] message` line; returns null when it has no timestamp. */
export function parseKernelLine(line: string): { seconds: number; message: string } | null {
  const m = /^\[\s*(\d+)\.(\d{6})\]\s?(.*)$/s.exec(line)
  return m ? { seconds: Number(m[1]) + Number(m[2]) / 1e6, message: m[3] } : null
}

/** Builds the kernel boot log for the board's state, merging the hardware's enumeration lines (timestamped or not) at ~3.16 s. */
export function kernelBootLog(state: BoardState, rng: Rng, hardwareLines: string[]): BootLine[] {
  const ro = state.readonlyRootfs
  const lines: [number, string][] = [
    [0, `Linux version ${state.kernelVersion} (root@canaan) (riscv64-unknown-linux-gnu-gcc (Xuantie-900 linux-5.10.4 glibc gcc Toolchain V2.6.1 B-20220906) 10.2.0, GNU ld (GNU Binutils) 2.35) #1 SMP Sat Apr 27 10:04:39 CST 2024`],
    [0, 'OF: fdt: Ignoring memory range 0x0 - 0x200000'],
    [0, 'Machine model: kendryte k230 canmv'],
    [0, "earlycon: sbi0 at I/O port 0x0 (options '')"],
    [0, 'printk: bootconsole [sbi0] enabled'],
    [0, 'SBI specification v0.3 detected'],
    [0, 'riscv: ISA extensions acdfimsuvx'],
    [0, `Kernel command line: console=ttyS0,115200 root=/dev/mmcblk1p3 ${ro ? 'ro' : 'rw'} rootwait rootfstype=ext4`],
    [0, 'Memory: 104940K/129024K available (6215K kernel code, 4013K rwdata, 2048K rodata, 196K init, 343K bss, 24084K reserved, 0K cma-reserved)'],
    [0, 'rcu: Hierarchical RCU implementation.'],
    [0, 'riscv-intc: 64 local interrupts mapped'],
    [0, 'plic: interrupt-controller@f00000000: mapped 208 interrupts with 1 handlers for 2 contexts.'],
    [0.000011, 'sched_clock: 64 bits at 27MHz, resolution 37ns, wraps every 4398046511085ns'],
    [0.008442, 'Console: colour dummy device 80x25'],
    [0.012876, 'Calibrating delay loop (skipped), value calculated using timer frequency.. 54.00 BogoMIPS (lpj=108000)'],
    [0.023511, 'pid_max: default: 32768 minimum: 301'],
    [0.031842, 'Mount-cache hash table entries: 512 (order: 0, 4096 bytes, linear)'],
    [0.064221, 'smp: Bringing up secondary CPUs ...'],
    [0.068394, 'smp: Brought up 1 node, 1 CPU'],
    [0.076102, 'devtmpfs: initialized'],
    [0.112563, 'NET: Registered protocol family 16'],
    [0.298874, 'SCSI subsystem initialized'],
    [0.303517, 'usbcore: registered new interface driver usbfs'],
    [0.309036, 'usbcore: registered new interface driver hub'],
    [0.314519, 'usbcore: registered new device driver usb'],
    [0.535672, 'NET: Registered protocol family 2'],
    [0.705219, 'workingset: timestamp_bits=62 max_order=15 bucket_order=0'],
    [0.820455, 'Serial: 8250/16550 driver, 5 ports, IRQ sharing disabled'],
    [0.829410, '91400000.serial: ttyS0 at MMIO 0x91400000 (irq = 1, base_baud = 3125000) is a 16550A'],
    [0.838511, 'printk: console [ttyS0] enabled'],
    [0.842993, 'printk: bootconsole [sbi0] disabled'],
  ]
  let t = 1.02
  const step = (): number => (t += 0.004 + rng.int(0, 2500) / 1e6)
  if (state.kernelPpp) lines.push([step(), 'PPP generic driver version 2.4.2'], [step(), 'PPP BSD Compression module registered'], [step(), 'PPP Deflate Compression module registered'])
  const generic = new Set(['usb', 'hub', 'usbfs'])
  for (const driver of [...state.drivers].filter((d) => !generic.has(d)).sort()) lines.push([step(), `usbcore: registered new interface driver ${driver}`])
  if (state.drivers.has('option')) lines.push([step(), 'usbserial: USB Serial support registered for GSM modem (1-port)'])
  lines.push(
    [1.160342, 'dwc2 91500000.usb-otg: DWC OTG Controller'],
    [1.165418, 'dwc2 91500000.usb-otg: new USB bus registered, assigned bus number 1'],
    [1.173046, 'hub 1-0:1.0: USB hub found'],
    [1.176941, 'hub 1-0:1.0: 1 port detected'],
    [2.853110, 'EXT4-fs (mmcblk1p3): mounted filesystem with ordered data mode. Opts: (null)'],
    [2.861277, `VFS: Mounted root (ext4 filesystem)${ro ? ' readonly' : ''} on device 179:3.`],
    [2.869018, 'devtmpfs: mounted'],
    [2.872905, 'Freeing unused kernel memory: 196K'],
    [2.877482, 'Run /sbin/init as init process'],
    [2.912113, 'usb 1-1: new high-speed USB device number 2 using dwc2'],
  )
  let hw = 3.164 + rng.int(0, 200) / 1e6
  for (const raw of hardwareLines) {
    const parsed = parseKernelLine(raw)
    if (parsed) lines.push([parsed.seconds, parsed.message])
    else {
      lines.push([hw, raw])
      hw += 0.0036 + rng.int(0, 4000) / 1e6
    }
  }
  return lines.map(([seconds, message]) => ({ seconds, message, level: 6 })).sort((a, b) => a.seconds - b.seconds)
}

/** Lines init prints after the kernel (BusyBox init running /etc/init.d/rcS). */
export function initMessages(state: BoardState): string[] {
  return [
    'Starting syslogd: OK',
    'Starting klogd: OK',
    'Running sysctl: OK',
    state.readonlyRootfs ? "Saving random seed: dd: can't open '/var/lib/random-seed': Read-only file system" : 'Saving random seed: OK',
    'Starting network: OK',
  ]
}
