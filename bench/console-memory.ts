// Memory after 8 hours of console traffic: 8 h at the full 115200-baud line rate (11,520 B/s, the most a console can
import '../src-services/virtual-boards'
// carry) of kernel, shell and pppd text pumped quickly through the engine's console path (link, transcript with its
// journal on disk, shell session listening). Prints heap/RSS before, after and at the peak, and the growth ratio.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { VirtualBoard } from '@board/types'
import { connect } from '@engine/console'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const HOURS = Number(process.env.CONSOLE_MEMORY_HOURS ?? 8)
const BYTES_PER_SECOND = 115200 / 10
const TOTAL = HOURS * 3600 * BYTES_PER_SECOND
const CHUNK = 64 * 1024

function traffic(): Buffer {
  const lines: string[] = []
  for (let i = 0; lines.join('').length < CHUNK; i++) {
    const t = (1000 + i * 0.013).toFixed(6).padStart(12)
    lines.push(
      i % 3 === 0
        ? `[${t}] usb 1-1: GSM modem (1-port) converter now attached to ttyUSB${i % 4}\r\n`
        : i % 3 === 1
          ? `64 bytes from 111.13.104.117: seq=${i} ttl=55 time=45.${i % 1000} ms\r\n`
          : `rcvd [IPCP ConfAck id=0x${(i % 255).toString(16)} <addr 10.145.32.88> <ms-dns1 183.230.126.225>]\r\n`,
    )
  }
  return Buffer.from(lines.join('').slice(0, CHUNK), 'latin1')
}

function heapMb(): { heap: number; rss: number } {
  gc()
  const m = process.memoryUsage()
  return { heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'k230-console-memory-'))
  const listeners = new Set<(chunk: Uint8Array) => void>()
  const board = {
    options: {
      scenario: 'traffic',
      seed: 1,
      timeScale: 1,
      baud: 115200,
      lineRate: false,
      login: false,
    },
    write: () => undefined,
    onData: (l: (chunk: Uint8Array) => void) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    onUnplug: () => () => undefined,
  } as unknown as VirtualBoard
  const journalPath = join(dir, 'console.jsonl')
  const console = await connect({ board, journalPath })
  const offText = console.link.onData(() => undefined)
  const chunk = traffic()
  const before = heapMb()
  let peak = before
  const started = performance.now()
  for (let sent = 0, n = 0; sent < TOTAL; sent += chunk.length, n++) {
    for (const l of listeners) l(chunk)
    if (n % 64 === 0) await new Promise((r) => setImmediate(r))
    if (n % 128 === 0) {
      const now = heapMb()
      if (now.heap > peak.heap) peak = now
    }
  }
  const after = heapMb()
  const seconds = (performance.now() - started) / 1000
  const entries = console.transcript.entries().length
  offText()
  await console.close()
  const journalMb = statSync(journalPath).size / 2 ** 20
  rmSync(dir, { recursive: true, force: true })
  print(
    `${HOURS} h of console traffic at 115200 baud = ${(TOTAL / 2 ** 20).toFixed(0)} MB, pump time ${seconds.toFixed(1)} s; journal ${journalMb.toFixed(0)} MB on disk; transcript holds ${entries} entries`,
  )
  print(
    `heap before ${before.heap.toFixed(1)} MB, after ${after.heap.toFixed(1)} MB, peak ${peak.heap.toFixed(1)} MB; rss before ${before.rss.toFixed(0)} MB, after ${after.rss.toFixed(0)} MB`,
  )
  print(
    `memory after ${HOURS} hours: heap growth ${(after.heap - before.heap).toFixed(1)} MB, ratio of traffic kept in memory ${((after.heap - before.heap) / (TOTAL / 2 ** 20)).toFixed(3)}`,
  )
}

function print(text: string): void {
  process.stdout.write(text + '\n')
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exit(1)
})
