import { parseArgs } from 'node:util'
import type { CliCommand } from '../command'
import { EXIT, UsageError } from '../command'
import { createVirtualBurnBus, createUsbBus, FlashError, listBurningDevices, watchBurningDevices, type BurningDevice, type UsbBus } from '@engine/flash/index'

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { json: { type: 'boolean' }, sim: { type: 'string' }, boards: { type: 'string' }, watch: { type: 'boolean' } }, strict: true }).values
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

function print(devices: BurningDevice[], out: NodeJS.WritableStream): void {
  if (!devices.length) out.write('no board in burning mode (hold BOOT while powering the board on)\n')
  for (const d of devices) out.write(`${d.address.padEnd(10)} ${d.chip}  ${d.stage === 'brom' ? 'BootROM' : d.stage === 'loader' ? 'loader running' : 'stage unknown'}${d.note ? `  (${d.note})` : ''}\n`)
}

/** `k230-bringup devices`: lists K230/K230D boards in burning mode by USB port path; exit 3 when USB cannot be read. */
export const devicesCommand: CliCommand = {
  name: 'devices',
  summary: 'list K230 boards in USB burning mode',
  usage: 'k230-bringup devices [--json] [--watch] [--sim SCENARIO [--boards N]]',
  async run(argv, io) {
    const opts = parse(argv)
    const boards = opts.boards === undefined ? 1 : Number(opts.boards)
    if (!Number.isInteger(boards) || boards < 1 || boards > 16) throw new UsageError(`--boards must be a whole number from 1 to 16, not "${opts.boards}"`)
    let bus: UsbBus
    try {
      bus = opts.sim ? createVirtualBurnBus({ scenario: opts.sim, boards }) : await createUsbBus()
    } catch (error) {
      if (error instanceof FlashError) throw new UsageError(error.message)
      throw error
    }
    try {
      const devices = await listBurningDevices(bus)
      if (opts.json) io.stdout.write(JSON.stringify(devices, null, 2) + '\n')
      else print(devices, io.stdout)
    } catch (error) {
      if (error instanceof FlashError && error.code === 'usb-unavailable') {
        io.stderr.write(`k230-bringup devices: ${error.message}\n`)
        return EXIT.lost
      }
      throw error
    }
    if (!opts.watch) return EXIT.ok
    await new Promise<void>((resolve) => {
      const stop = watchBurningDevices(bus, (devices) => {
        io.stdout.write(`-- ${new Date().toISOString()}\n`)
        if (opts.json) io.stdout.write(JSON.stringify(devices) + '\n')
        else print(devices, io.stdout)
      })
      process.once('SIGINT', () => {
        stop()
        resolve()
      })
    })
    return EXIT.ok
  },
}
