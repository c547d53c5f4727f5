import { describe, expect, it } from 'vitest'
import { createStubBoard, waitUntil, type StubBoard } from './stub-board'

async function dial(board: StubBoard): Promise<void> {
  board.services.fs.writeFile('/dev/ttyUSB2', 'AT+qnetdevctl=3,1,1\n\n\n')
  await waitUntil(() => board.hw.modem.netdevUp, 'the data call')
}

describe('network on usb0: udhcpc, ifconfig, route, ping, nslookup', () => {
  it('gets the reference’s lease after dialling, with BusyBox v1.33.0 output, and writes resolv.conf', async () => {
    const board = createStubBoard()
    await dial(board)
    expect((await board.run(['ifconfig', 'eth0', 'down'])).status).toBe(0)
    const r = await board.run(['udhcpc', '-i', 'usb0'])
    expect(r.status).toBe(0)
    expect(r.stdout).toBe(
      [
        'udhcpc: started, v1.33.0',
        'udhcpc: sending discover',
        'udhcpc: sending select for 10.232.182.16',
        'udhcpc: lease of 10.232.182.16 obtained, lease time 86400',
        'deleting routers',
        'adding dns 183.230.126.225',
        'adding dns 183.230.126.224',
        '',
      ].join('\n'),
    )
    expect(board.services.fs.readText('/etc/resolv.conf')).toBe(
      'nameserver 183.230.126.225 # usb0\nnameserver 183.230.126.224 # usb0\n',
    )
    expect(board.services.processes.byName('udhcpc')).toHaveLength(1)
    const ifc = (await board.run(['ifconfig'])).stdout
    expect(ifc).toContain(
      'usb0      Link encap:Ethernet  HWaddr 02:0C:29:A3:9B:6D  \n          inet addr:10.232.182.16  Bcast:10.232.182.23  Mask:255.255.255.248\n          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n',
    )
    expect(ifc).toContain(
      'lo        Link encap:Local Loopback  \n          inet addr:127.0.0.1  Mask:255.0.0.0\n          UP LOOPBACK RUNNING  MTU:65536  Metric:1\n',
    )
    expect(ifc).not.toContain('eth0')
    const route = (await board.run(['route', '-n'])).stdout
    expect(route).toBe(
      'Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n' +
        '0.0.0.0         10.232.182.17   0.0.0.0         UG    0      0        0 usb0\n' +
        '10.232.182.16   0.0.0.0         255.255.255.248 U     0      0        0 usb0\n',
    )
  })

  it('sends discovers that nobody answers before the dial, and fails like BusyBox with -n', async () => {
    const board = createStubBoard()
    const r = await board.run(['udhcpc', '-i', 'usb0', '-n', '-t', '3', '-T', '1'])
    expect(r.status).toBe(1)
    expect(r.stdout).toBe(
      'udhcpc: started, v1.33.0\nudhcpc: sending discover\nudhcpc: sending discover\nudhcpc: sending discover\nudhcpc: no lease, failing\n',
    )
  })

  it('says SIOCGIFINDEX: No such device when usb0 does not exist', async () => {
    const r = await createStubBoard('no-rndis-driver').run(['udhcpc', '-i', 'usb0'])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe('udhcpc: SIOCGIFINDEX: No such device\n')
  })

  it('pings www.163.com through usb0 with BusyBox lines and statistics', async () => {
    const board = createStubBoard()
    await dial(board)
    await board.run(['udhcpc', '-i', 'usb0', '-q'])
    const r = await board.run(['ping', '-c', '3', '-I', 'usb0', 'www.163.com'])
    expect(r.status).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toBe('PING www.163.com (111.13.104.117): 56 data bytes')
    for (let seq = 0; seq < 3; seq++)
      expect(lines[1 + seq]).toMatch(
        new RegExp(
          `^64 bytes from 111\\.13\\.104\\.117: seq=${seq} ttl=55 time=4[4-8]\\.\\d{3} ms$`,
        ),
      )
    expect(lines[4]).toBe('')
    expect(lines[5]).toBe('--- www.163.com ping statistics ---')
    expect(lines[6]).toBe('3 packets transmitted, 3 packets received, 0% packet loss')
    expect(lines[7]).toMatch(/^round-trip min\/avg\/max = 4\d\.\d{3}\/4\d\.\d{3}\/4\d\.\d{3} ms$/)
  })

  it('takes one second of board time per packet and prints statistics on Ctrl-C', async () => {
    const board = createStubBoard('healthy', 0.01)
    await dial(board)
    await board.run(['udhcpc', '-i', 'usb0', '-q'])
    const controller = new AbortController()
    const base = board.hw.net.get('usb0')!.txPackets
    const started = board.services.clock.now()
    const running = board.run(['ping', '-I', 'usb0', '111.13.104.117'], {
      signal: controller.signal,
    })
    await waitUntil(
      () => (board.hw.net.get('usb0')?.txPackets ?? 0) >= base + 4,
      'four echo requests',
    )
    controller.abort()
    const r = await running
    expect(
      board.services.clock.now() - started,
      'four packets at 1 s spacing (timer granularity allowed)',
    ).toBeGreaterThanOrEqual(2700)
    const stats =
      /\n--- 111\.13\.104\.117 ping statistics ---\n(\d+) packets transmitted, (\d+) packets received, \d+% packet loss\nround-trip min\/avg\/max = /.exec(
        r.stdout,
      )
    expect(stats, r.stdout).not.toBeNull()
    expect(Number(stats![1])).toBeGreaterThanOrEqual(4)
    expect(Number(stats![2])).toBeGreaterThanOrEqual(3)
  })

  it('reports lost packets from the scenario’s loss rate, reproducibly for a seed', async () => {
    const outputs: string[] = []
    for (let i = 0; i < 2; i++) {
      const board = createStubBoard('lossy-network', 0.0005, 7)
      await dial(board)
      await board.run(['udhcpc', '-i', 'usb0', '-q'])
      const r = await board.run(['ping', '-c', '10', '-q', 'www.163.com'])
      outputs.push(r.stdout)
    }
    expect(outputs[0]).toBe(outputs[1])
    expect(outputs[0]).toMatch(/10 packets transmitted, \d packets received, [1-9]\d% packet loss/)
  })

  it('says bad address when DNS does not answer, and nslookup times out', async () => {
    const board = createStubBoard('dns-failure', 0.0005)
    await dial(board)
    await board.run(['udhcpc', '-i', 'usb0', '-q'])
    const r = await board.run(['ping', '-c', '1', 'www.163.com'])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe("ping: bad address 'www.163.com'\n")
    expect((await board.run(['ping', '-c', '1', '111.13.104.117'])).stdout).toContain(
      '1 packets received',
    )
    expect((await board.run(['nslookup', 'www.163.com'])).stdout).toBe(
      ';; connection timed out; no servers could be reached\n\n',
    )
  })

  it('resolves with nslookup like BusyBox 1.33', async () => {
    const board = createStubBoard()
    await dial(board)
    await board.run(['udhcpc', '-i', 'usb0', '-q'])
    expect((await board.run(['nslookup', 'www.163.com'])).stdout).toBe(
      'Server:\t\t183.230.126.225\nAddress:\t183.230.126.225:53\n\nNon-authoritative answer:\nName:\twww.163.com\nAddress: 111.13.104.117\n\n',
    )
  })

  it('reports unknown interfaces and unreachable networks with BusyBox wording', async () => {
    const board = createStubBoard()
    expect((await board.run(['ifconfig', 'usb9'])).stderr).toBe(
      'ifconfig: usb9: error fetching interface information: Device not found\n',
    )
    expect((await board.run(['ping', '-I', 'usb9', '1.2.3.4'])).stderr).toBe(
      'ping: SO_BINDTODEVICE: No such device\n',
    )
    const r = await board.run(['ping', '-c', '1', '1.2.3.4'])
    expect(r.stdout).toBe('PING 1.2.3.4 (1.2.3.4): 56 data bytes\n')
    expect(r.stderr).toBe('ping: sendto: Network is unreachable\n')
  })

  it('removes usb0 while the module resets and brings it back without an address', async () => {
    const board = createStubBoard('healthy', 0.002)
    await dial(board)
    await board.run(['udhcpc', '-i', 'usb0', '-q'])
    board.services.fs.writeFile('/dev/ttyUSB2', 'AT+CFUN=1,1\r')
    await waitUntil(() => board.hw.net.get('usb0') === undefined, 'usb0 gone')
    expect((await board.run(['ifconfig', 'usb0'])).stderr).toContain('Device not found')
    await waitUntil(() => board.hw.net.get('usb0') !== undefined, 'usb0 back', 20_000)
    const r = await board.run(['ifconfig', 'usb0'])
    expect(r.stdout).not.toContain('inet addr')
    expect(r.stdout).toContain('          BROADCAST MULTICAST  MTU:1500  Metric:1\n')
  })
})
