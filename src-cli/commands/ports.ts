/** `k230-bringup ports`: the serial ports of this PC, console bridges and EC200A interfaces named. */
import { listPorts } from '@engine/link/index'
import { EXIT, type CliCommand } from '../command'
import { parseCommandArgs } from '../args'

/** Lists ports; `--json` prints them as JSON. */
export const portsCommand: CliCommand = {
  name: 'ports',
  summary: 'list the serial ports (console bridges, EC200A interfaces)',
  usage: 'k230-bringup ports [--json]',
  async run(argv, io) {
    const { values, t } = parseCommandArgs(argv, io.env, { json: { type: 'boolean' } })
    const ports = await listPorts()
    if (values.json) {
      io.stdout.write(JSON.stringify(ports, null, 2) + '\n')
      return EXIT.ok
    }
    if (!ports.length) {
      io.stdout.write(`${t('cli.ports.none')}\n`)
      return EXIT.ok
    }
    const width = Math.max(...ports.map((p) => p.path.length))
    for (const p of ports) io.stdout.write(`${p.path.padEnd(width)}  ${(p.usbId ?? '').padEnd(9)}  ${p.kind.padEnd(6)}  ${p.friendlyName}${p.serialNumber ? ` ${t('cli.ports.serial', { serial: p.serialNumber })}` : ''}\n`)
    return EXIT.ok
  },
}
