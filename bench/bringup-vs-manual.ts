// Engine vs the reference document's manual procedure on the same virtual board (healthy, 115200 baud with line-rate
import '../src-services/virtual-boards'
// pacing): a scripted technician types the document's commands, with its fixed `sleep 15` after each mode switch and
// its `microcom -t 10000`, and waits for each prompt; the engine runs the whole checklist. Prints time per unit for
// both (board seconds = real seconds / time scale) and the ratio manual / engine.
import { createVirtualBoard } from '@board/board'
import { connect, type Console } from '@engine/console'
import { checklistBoardFor } from '@engine/checklist/index'
import { Bringup } from '@engine/bringup/index'
import { resolveProfile } from '@engine/profile/index'
import { generatePppFiles } from '@engine/ppp/index'

const TIME_SCALE = Number(process.env.MANUAL_BENCH_SCALE ?? 0.1)
const UNITS = Number(process.env.MANUAL_BENCH_UNITS ?? 2)
const profile = resolveProfile(undefined)

/** The reference document's procedure as typed at the console, section by section (sections 1, 3.2, 3.3, 3.4). */
function manualScript(): { command: string; timeoutMs: number }[] {
  const at = (mode: number) =>
    `echo -e "AT+QCFG=\\"usbnet\\",${mode}\\n\\n;AT+CFUN=1,1\\n\\n" > /dev/ttyUSB2 ;sleep 15;`
  const net = [
    { command: 'echo -e "AT+qnetdevctl=3,1,1\\n\\n" > /dev/ttyUSB2', timeoutMs: 5_000 },
    { command: 'ifconfig eth0 down; udhcpc -i usb0 -n -t 5; ifconfig;', timeoutMs: 30_000 },
    { command: 'ping -I usb0 -c 5 www.163.com', timeoutMs: 30_000 },
  ]
  return [
    { command: 'dmesg | grep -i -e 2c7c -e ttyUSB', timeoutMs: 5_000 },
    { command: 'lsusb', timeoutMs: 5_000 },
    {
      command:
        'mount -t debugfs none /sys/kernel/debug/ 2>/dev/null; cat /sys/kernel/debug/usb/devices',
      timeoutMs: 5_000,
    },
    {
      command: "echo -e 'AT+CPIN?;+CSQ;+COPS?\\r' | microcom -t 10000 -s 115200 /dev/ttyUSB2",
      timeoutMs: 30_000,
    },
    { command: at(1), timeoutMs: 40_000 },
    ...net,
    { command: at(3), timeoutMs: 40_000 },
    ...net,
    { command: 'ifconfig eth0 down; /etc/ppp/quectel-ppp-kill', timeoutMs: 30_000 },
    {
      command:
        '/etc/ppp/quectel-pppd.sh /dev/ttyUSB2 3gnet >/tmp/pppd.log 2>&1; sleep 5; ifconfig ppp0',
      timeoutMs: 60_000,
    },
    { command: 'ping -c 5 www.163.com', timeoutMs: 30_000 },
    { command: '/etc/ppp/quectel-ppp-kill', timeoutMs: 30_000 },
    { command: at(1), timeoutMs: 40_000 },
  ]
}

async function openBoard(): Promise<Console> {
  const board = createVirtualBoard({
    scenario: 'healthy',
    timeScale: TIME_SCALE,
    lineRate: true,
    seed: 1,
  })
  for (const f of generatePppFiles(profile)) board.fs.seed(f.path, f.content, f.mode)
  const console = await connect({ board, secrets: [profile.password] })
  await board.whenReady()
  return console
}

async function manualUnit(): Promise<number> {
  const console = await openBoard()
  try {
    await console.session.attach({ timeout: 60_000 })
    const started = performance.now()
    for (const step of manualScript())
      await console.session.run(step.command, { timeout: step.timeoutMs * TIME_SCALE + 5_000 })
    return performance.now() - started
  } finally {
    await console.close()
  }
}

async function engineUnit(): Promise<{ ms: number; verdict: string }> {
  const console = await openBoard()
  try {
    const bringup = new Bringup({
      board: checklistBoardFor(console, TIME_SCALE),
      profile,
      unitSerial: 'BENCH',
      appVersion: 'bench',
      outputs: [],
    })
    const started = performance.now()
    const { record } = await bringup.run()
    return { ms: performance.now() - started, verdict: record.verdict }
  } finally {
    await console.close()
  }
}

async function main(): Promise<void> {
  const manual: number[] = []
  const engine: number[] = []
  for (let i = 0; i < UNITS; i++) {
    const e = await engineUnit()
    if (e.verdict !== 'pass')
      throw new Error(`the engine's run on the healthy board ended ${e.verdict}`)
    engine.push(e.ms)
    manual.push(await manualUnit())
  }
  const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length
  const boardS = (ms: number) => ms / 1000 / TIME_SCALE
  console.log(`time scale ${TIME_SCALE}, ${UNITS} units each, 115200 baud line-rate pacing`)
  console.log(
    `engine time per unit (whole checklist, 15 steps incl. drivers/userland/PPP files): ${boardS(avg(engine)).toFixed(1)} board s per unit`,
  )
  console.log(
    `manual time per unit (reference document commands with its fixed sleeps): ${boardS(avg(manual)).toFixed(1)} board s per unit`,
  )
  console.log(`time per unit ratio manual / engine: ${(avg(manual) / avg(engine)).toFixed(2)}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
