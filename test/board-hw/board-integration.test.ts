import { afterEach, describe, expect, it } from 'vitest'
import { bootConsole, type Console } from './drive'

let open: Console | null = null
afterEach(async () => {
  await open?.close()
  open = null
})

describe('hardware through the whole board: power cycles and build facts', () => {
  it('keeps the module’s usbnet mode across a board reboot and enumerates RNDIS at boot', async () => {
    const c = (open = await bootConsole('healthy', { timeScale: 0.02 }))
    await c.type(`echo -e 'AT+QCFG="usbnet",3\\r' > /dev/ttyUSB2`)
    await c.type(`echo -e 'AT+QCFG="usbnet"\\r' | microcom -t 2000 -s 115200 /dev/ttyUSB2`)
    const from = c.all.length
    c.board.reboot()
    await c.waitFor(/\[root@canaan ~ \]# /, from, 30_000)
    expect(c.all.slice(from)).toContain(
      "rndis_host 1-1:1.0 usb0: register 'rndis_host' at usb-91500000.usb-otg-1, RNDIS device",
    )
    expect(await c.type('ifconfig usb0')).toContain(
      'usb0      Link encap:Ethernet  HWaddr 02:0C:29:A3:9B:6D',
    )
  })

  it('shows no ttyUSB nodes and no GSM modem lines when the option driver lacks 2c7c:6005', async () => {
    const c = (open = await bootConsole('no-option-vidpid'))
    expect(await c.type('ls /dev/ttyUSB*')).toContain('No such file or directory')
    expect(await c.type('dmesg')).not.toContain('GSM modem (1-port) converter')
    expect(await c.type('lsusb')).toContain('ID 2c7c:6005')
  })

  it('has no pppd or chat on a rootfs built without them', async () => {
    const c = (open = await bootConsole('no-pppd'))
    expect(await c.type('chat -v "" AT')).toContain('sh: chat: not found')
    expect(await c.type('which pppd; echo status=$?')).toContain('status=1')
  })
})
