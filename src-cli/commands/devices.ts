import type { Translate } from '@shared/i18n/translate'
import { keyedText } from '@shared/i18n/render'
import type { CliCommand } from '../command'
import { parseCommandArgs } from '../args'
import { EXIT, UsageError } from '../command'
import { createUsbBus, virtualBurnBus, FlashError, listBurningDevices, watchBurningDevices, type BurningDevice, type UsbBus } from '@engine/flash/index'

function print(devices: BurningDevice[], out: NodeJS.WritableStream, t: Translate): void {
  if (!devices.length) out.write(`${t('cli.devices.none')}\n`)
  for (const d of devices) out.write(`${d.address.padEnd(10)} ${d.chip}  ${t(`flash.stage.${d.stage === 'brom' || d.stage === 'loader' ? d.stage : 'unknown'}`)}${d.note ? `  (${d.note})` : ''}\n`)
}

/** `k230-bringup devices`: lists K230/K230D boards in burning mode by USB port path; exit 3 when USB cannot be read. */
export const devicesCommand: CliCommand = {
  name: 'devices',
  summary: 'list K230 boards in USB burning mode',
  usage: 'k230-bringup devices [--json] [--watch] [--sim SCENARIO [--boards N]]',
  async run(argv, io) {
    const { values: opts, t } = parseCommandArgs(argv, io.env, { json: { type: 'boolean' }, sim: { type: 'string' }, boards: { type: 'string' }, watch: { type: 'boolean' } })
    const boards = opts.boards === undefined ? 1 : Number(opts.boards)
    if (!Number.isInteger(boards) || boards < 1 || boards > 16) throw new UsageError('cli.devices.boards', { value: opts.boards })
    let bus: UsbBus
    try {
      bus = opts.sim ? virtualBurnBus({ scenario: opts.sim, boards }) : await createUsbBus()
    } catch (error) {
      if (error instanceof FlashError) throw new UsageError(error.key, error.params)
      throw error
    }
    try {
      const devices = await listBurningDevices(bus)
      if (opts.json) io.stdout.write(JSON.stringify(devices, null, 2) + '\n')
      else print(devices, io.stdout, t)
    } catch (error) {
      if (error instanceof FlashError && error.code === 'usb-unavailable') {
        io.stderr.write(`k230-bringup devices: ${keyedText(t, error, error.message)}\n`)
        return EXIT.lost
      }
      throw error
    }
    if (!opts.watch) return EXIT.ok
    await new Promise<void>((resolve) => {
      const stop = watchBurningDevices(bus, (devices) => {
        io.stdout.write(`-- ${new Date().toISOString()}\n`)
        if (opts.json) io.stdout.write(JSON.stringify(devices) + '\n')
        else print(devices, io.stdout, t)
      })
      process.once('SIGINT', () => {
        stop()
        resolve()
      })
    })
    return EXIT.ok
  },
}
