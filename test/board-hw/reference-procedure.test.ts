import { afterEach, describe, expect, it } from 'vitest'
import { bootConsole, hasSocat, type Console, type Transport } from './drive'
import * as PPP from './fixtures/reference-ppp'

let open: Console | null = null
afterEach(async () => {
  await open?.close()
  open = null
})

const TRANSPORTS: { transport: Transport; skip: boolean }[] = [
  { transport: 'in-process', skip: false },
  { transport: 'pty', skip: !hasSocat() },
]

/** Types a here-document line by line, as a technician pasting the reference's file would. */
async function hereDoc(c: Console, path: string, body: string): Promise<string> {
  return c.type(`cat > ${path} <<'EOF'\r${body.replace(/\n/g, '\r')}EOF`)
}

describe.each(TRANSPORTS)(
  'the reference document’s procedure typed by hand on the virtual board ($transport; PTY needs socat)',
  ({ transport, skip }) => {
    const boot = async (scenario = 'healthy', timeScale = 0.01): Promise<Console> => {
      open = await bootConsole(scenario, { timeScale, transport, lineRate: transport === 'pty' })
      return open
    }
    if (skip) it.skip('socat is not installed: the PTY transport cannot run here', () => undefined)

    it.skipIf(skip)(
      '1.1-1.3 / 3.1: dmesg, lsusb, debugfs usb/devices and /sys/bus/usb/drivers show the EC200A',
      async () => {
        const c = await boot()
        const dmesg = await c.type('dmesg')
        expect(dmesg).toMatch(
          /\[\s+3\.\d{6}\] usb 1-1: New USB device found, idVendor=2c7c, idProduct=6005, bcdDevice= 3\.18\n/,
        )
        expect(dmesg).toContain(
          "cdc_ether 1-1:1.0 usb0: register 'cdc_ether' at usb-91500000.usb-otg-1, CDC Ethernet Device, 02:0c:29:a3:9b:6d",
        )
        expect(dmesg).toContain('usb 1-1: GSM modem (1-port) converter now attached to ttyUSB2')
        expect(await c.type('lsusb')).toBe(
          'lsusb\nBus 002 Device 002: ID 0bda:8152\nBus 001 Device 001: ID 1d6b:0002\nBus 001 Device 002: ID 2c7c:6005\nBus 002 Device 001: ID 1d6b:0002\n[root@canaan ~ ]# ',
        )
        expect(await c.type('cat /sys/kernel/debug/usb/devices')).toContain(
          'No such file or directory',
        )
        await c.type('mount -t debugfs none /sys/kernel/debug/')
        const devices = await c.type('cat /sys/kernel/debug/usb/devices')
        expect(devices).toContain('P:  Vendor=2c7c ProdID=6005 Rev= 3.18\n')
        expect(devices).toContain(
          'I:* If#= 0 Alt= 0 #EPs= 1 Cls=02(comm.) Sub=06 Prot=00 Driver=cdc_ether\n',
        )
        expect(devices).toContain(
          'I:* If#= 6 Alt= 0 #EPs= 2 Cls=ff(vend.) Sub=00 Prot=00 Driver=option\n',
        )
        const drivers = await c.type('ls /sys/bus/usb/drivers')
        for (const d of ['cdc_ether', 'option', 'rndis_host', 'cdc_ncm', 'usb-storage', 'qmi_wwan'])
          expect(drivers).toMatch(new RegExp(`(^|\\s)${d}(\\s|$)`, 'm'))
        expect(await c.type('ls /dev/ttyUSB*')).toContain(
          '/dev/ttyUSB0  /dev/ttyUSB1  /dev/ttyUSB2  /dev/ttyUSB3',
        )
      },
    )

    it.skipIf(skip)('3.2: the AT test with microcom, typed interactively and piped', async () => {
      const c = await boot('healthy', 0.05)
      await c.type('microcom -t 3000 -s 115200 /dev/ttyUSB2', {
        until: 'microcom -t 3000 -s 115200 /dev/ttyUSB2\r\n',
      })
      // microcom drops what was typed before it took the console (TCSAFLUSH, BusyBox microcom.c lines 125-129): like a person, wait until it answers (retries well inside its -t 3000 idle window, 150 ms real here)
      for (let tries = 0; ; tries++) {
        const from = c.all.length
        c.write('AT\r')
        const answered = await c.waitFor(/OK\r*\n/, from, 50).then(
          () => true,
          () => false,
        )
        if (answered) break
        if (tries >= 40) throw new Error('microcom never answered AT')
      }
      const typed = await c.type('at+cpin?;+csq;+cops?', { until: /OK\r*\n[\s\S]*# / })
      expect(typed).toContain(
        'at+cpin?;+csq;+cops?\n+CPIN: READY\n\n+CSQ: 31,99\n\n+COPS: 0,0,"CHINA MOBILE",7\n\nOK\n',
      )
      const piped = await c.type('echo -e "ATI\\r" | microcom -t 1000 -s 115200 /dev/ttyUSB2')
      expect(piped).toContain('Quectel\nEC200A\nRevision: EC200A')
    })

    it.skipIf(skip)(
      '3.3: ECM and RNDIS mode switch with the reference’s echo -e lines, dial, udhcpc and ping',
      async () => {
        const c = await boot('healthy', 0.05)
        for (const [mode, driver] of [
          ['3', "rndis_host 1-1:1.0 usb0: register 'rndis_host'"],
          ['1', "cdc_ether 1-1:1.0 usb0: register 'cdc_ether'"],
        ]) {
          const from = c.all.length
          await c.type(
            `echo -e "AT+QCFG=\\"usbnet\\",${mode}\\n\\n;AT+CFUN=1,1\\n\\n" > /dev/ttyUSB2 ;sleep 15;`,
            { timeoutMs: 30_000 },
          )
          const switched = await c.waitFor(
            /GSM modem \(1-port\) converter now attached to ttyUSB3/,
            from,
          )
          expect(switched, `mode ${mode}`).toContain('usb 1-1: USB disconnect, device number')
          expect(switched, `mode ${mode}`).toContain(driver)
          const query = await c.type(
            'echo -e "AT+QCFG=\\"usbnet\\"\\r" | microcom -t 1000 -s 115200 /dev/ttyUSB2',
          )
          expect(query).toContain(`+QCFG: "usbnet",${mode}`)
          await c.type('echo -e "AT+qnetdevctl=3,1,1\\n\\n" > /dev/ttyUSB2')
          const dhcp = await c.type('ifconfig eth0 down; udhcpc -i usb0; ifconfig;')
          expect(dhcp).toMatch(
            /udhcpc: started, v1\.33\.0\n(udhcpc: sending discover\n)+udhcpc: sending select for 10\.232\.182\.16\nudhcpc: lease of 10\.232\.182\.16 obtained, lease time 86400\ndeleting routers\nadding dns 183\.230\.126\.225\nadding dns 183\.230\.126\.224\n/,
          )
          expect(dhcp).toContain(
            'inet addr:10.232.182.16  Bcast:10.232.182.23  Mask:255.255.255.248',
          )
          const ping = await c.type('ping -c 2 -I usb0 www.163.com')
          expect(ping).toMatch(
            /PING www\.163\.com \(111\.13\.104\.117\): 56 data bytes\n64 bytes from 111\.13\.104\.117: seq=0 ttl=55 time=\d+\.\d{3} ms\n64 bytes from 111\.13\.104\.117: seq=1 ttl=55 time=\d+\.\d{3} ms\n\n--- www\.163\.com ping statistics ---\n2 packets transmitted, 2 packets received, 0% packet loss\nround-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms\n/,
          )
          await c.type('killall udhcpc')
        }
      },
    )

    it.skipIf(skip)(
      '3.3.4: ping -I usb0 www.163.com interrupted with Ctrl-C prints the statistics like the reference',
      async () => {
        const c = await boot('healthy', 0.05)
        await c.type('echo -e "AT+qnetdevctl=3,1,1\\n\\n" > /dev/ttyUSB2')
        await c.type('udhcpc -i usb0 -q')
        const from = c.all.length
        c.write('ping -I usb0 www.163.com\r')
        await c.waitFor('seq=1 ', from)
        c.write('\x03')
        const shown = (await c.waitFor(/round-trip[^\n]*\n/, from)).replace(/\r+\n/g, '\n')
        expect(shown).toMatch(
          /^ping -I usb0 www\.163\.com\nPING www\.163\.com \(111\.13\.104\.117\): 56 data bytes\n(64 bytes from 111\.13\.104\.117: seq=\d ttl=55 time=\d+\.\d{3} ms\n){2,}\^C\n--- www\.163\.com ping statistics ---\n(\d) packets transmitted, \2 packets received, 0% packet loss\nround-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms\n/,
        )
      },
    )

    it.skipIf(skip)(
      '3.2.2 / 3.4: PPP files written with here-documents, quectel-pppd.sh dials, ping works, quectel-ppp-kill stops it',
      async () => {
        const c = await boot()
        await c.type('mkdir -p /etc/ppp/peers')
        for (const [path, body] of [
          ['/etc/ppp/ip-up', PPP.IP_UP],
          ['/etc/ppp/peers/quectel-pppd', PPP.PEERS_QUECTEL_PPPD],
          ['/etc/ppp/peers/quectel-chat-connect', PPP.CHAT_CONNECT],
          ['/etc/ppp/peers/quectel-chat-disconnect', PPP.CHAT_DISCONNECT],
          ['/etc/ppp/quectel-pppd.sh', PPP.QUECTEL_PPPD_SH],
          ['/etc/ppp/quectel-ppp-kill', PPP.QUECTEL_PPP_KILL],
        ]) {
          expect(await hereDoc(c, path, body)).not.toContain("can't")
        }
        expect(
          await c.type(
            'chmod a+x /etc/ppp/ip-up /etc/ppp/peers/quectel-pppd /etc/ppp/peers/quectel-chat-disconnect /etc/ppp/quectel-pppd.sh /etc/ppp/quectel-ppp-kill',
          ),
        ).not.toContain('chmod:')
        await c.type('ifconfig eth0 down')
        await c.type('/etc/ppp/quectel-ppp-kill')
        const dial = await c.type('/etc/ppp/quectel-pppd.sh  /dev/ttyUSB2 CMNET', {
          until: 'ip-up finished',
        })
        expect(dial).toContain('apn       CMNET    # (from command line)')
        expect(dial).toContain('send (AT+CGDCONT=1,"IP","CMNET",,0,0^M)')
        expect(dial).toContain('send (ATI;+CSUB;+CSQ;+CPIN?;+COPS?;+CGREG?;&D2^M)')
        expect(dial).toContain('CONNECT\n -- got it\n')
        expect(dial).toContain('Serial connection established.\n')
        expect(dial).toContain('Connect: ppp0 <--> /dev/ttyUSB2\n')
        expect(dial).toContain('sent [PAP AuthReq id=0x1 user="user" password=<hidden>]')
        expect(dial).toContain(
          'local  IP address 10.145.32.88\nremote IP address 10.64.64.64\nprimary   DNS address 183.230.126.225\nsecondary DNS address 183.230.126.224\n',
        )
        const ifc = await c.type('ifconfig')
        expect(ifc).toContain(
          'ppp0      Link encap:Point-to-Point Protocol  \n          inet addr:10.145.32.88  P-t-P:10.64.64.64  Mask:255.255.255.255\n          UP POINTOPOINT RUNNING NOARP MULTICAST  MTU:1500  Metric:1\n',
        )
        expect(await c.type('cat /etc/resolv.conf')).toContain(
          'nameserver 183.230.126.225\nnameserver 183.230.126.224\n',
        )
        expect(await c.type('ping -c 2 www.163.com')).toContain(
          '2 packets transmitted, 2 packets received, 0% packet loss',
        )
        const kill = await c.type('/etc/ppp/quectel-ppp-kill')
        expect(kill).toContain('Terminating on signal 15\n')
        expect(kill).toContain('Connection terminated.\n')
        expect(await c.type('ifconfig ppp0')).toContain(
          'ifconfig: ppp0: error fetching interface information: Device not found',
        )
      },
    )

    it.skipIf(skip)(
      '3.4 with the peers file: pppd call quectel-pppd runs chat -f and brings ppp0 up; Ctrl-C ends it',
      async () => {
        const c = await boot()
        await c.type('mkdir -p /etc/ppp/peers')
        await hereDoc(c, '/etc/ppp/ip-up', PPP.IP_UP)
        await hereDoc(c, '/etc/ppp/peers/quectel-pppd', PPP.PEERS_QUECTEL_PPPD)
        await hereDoc(
          c,
          '/etc/ppp/peers/quectel-chat-connect',
          PPP.CHAT_CONNECT.replace('"3gnet"', '"CMNET"'),
        )
        await hereDoc(c, '/etc/ppp/peers/quectel-chat-disconnect', PPP.CHAT_DISCONNECT)
        await c.type('chmod a+x /etc/ppp/ip-up')
        const up = await c.type('pppd call quectel-pppd', { until: 'ip-up finished' })
        expect(up).toContain('sent [PAP AuthReq id=0x1 user="test" password=<hidden>]')
        expect(up).toContain(
          'connect chat -s -v -f /etc/ppp/peers/quectel-chat-connect\t\t# (from /etc/ppp/peers/quectel-pppd)',
        )
        const stopped =
          (c.write('\x03'), await c.waitFor('Connection terminated.', c.all.length - 1))
        expect(stopped).toContain('Terminating on signal 2')
      },
    )

    it.skipIf(skip)(
      'a wrong APN makes chat fail the way chat fails, and pppd reports the connect script failure',
      async () => {
        const c = await boot()
        await c.type('mkdir -p /etc/ppp/peers')
        await hereDoc(
          c,
          '/etc/ppp/peers/quectel-chat-connect',
          PPP.CHAT_CONNECT.replace('"3gnet"', '"wrongapn"'),
        )
        const out = await c.type(
          'pppd /dev/ttyUSB2 115200 connect "chat -s -v -f /etc/ppp/peers/quectel-chat-connect" nodetach debug; echo status=$?',
        )
        expect(out).toContain(
          'send (ATD*99#^M)\nexpect (CONNECT)\n^M\n^M\nNO CARRIER\n -- failed\nFailed (NO CARRIER)\nConnect script failed\n',
        )
        expect(out).toContain('status=8')
      },
    )
  },
)
