import { describe, expect, it } from 'vitest'
import { createStubBoard, waitUntil } from './stub-board'

/** A terminal's keystrokes as an endless stdin: push bytes as the technician types. */
function keyboard() {
  const queue: Uint8Array[] = []
  let wake: (() => void) | null = null
  const stream: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        while (queue.length === 0) await new Promise<void>((r) => (wake = r))
        return { value: queue.shift() as Uint8Array, done: false }
      },
    }),
  }
  return {
    stream,
    type(text: string) {
      queue.push(new TextEncoder().encode(text))
      wake?.()
    },
  }
}

describe('microcom', () => {
  it('with piped stdin sends it, prints what the module answers, and exits after the idle timeout', async () => {
    const board = createStubBoard('healthy', 0.01)
    const r = await board.run(['microcom', '-t', '2000', '-s', '115200', '/dev/ttyUSB2'], {
      stdin: 'AT+CSQ\r\n',
    })
    expect(r.status).toBe(0)
    expect(r.stdout).toBe('AT+CSQ\r\n\r\n+CSQ: 31,99\r\n\r\nOK\r\n')
  })

  it('interactively forwards keystrokes and exits on Ctrl-X without waiting for the timeout', async () => {
    const board = createStubBoard('healthy', 0.01)
    const keys = keyboard()
    const running = board.run(['microcom', '-s', '115200', '/dev/ttyUSB2'], {
      stdin: keys.stream,
      stdinIsTty: true,
    })
    const port = board.hw.ports.get('/dev/ttyUSB2')!
    await waitUntil(() => port.openCount === 1, 'microcom to open the port')
    let seen = ''
    const spy = port.open()
    spy.onData((c) => (seen += Buffer.from(c).toString('latin1')))
    keys.type('ATI\r')
    await waitUntil(() => seen.includes('OK\r\n'), 'the module to answer ATI')
    spy.close()
    keys.type('\x18')
    const r = await running
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('ATI\r\r\nQuectel\r\nEC200A\r\n')
    expect(port.openCount).toBe(0)
  })

  it('exits when the module drops off USB under it (AT+CFUN=1,1)', async () => {
    const board = createStubBoard()
    const keys = keyboard()
    const running = board.run(['microcom', '-s', '115200', '/dev/ttyUSB2'], {
      stdin: keys.stream,
      stdinIsTty: true,
    })
    await waitUntil(
      () => board.hw.ports.get('/dev/ttyUSB2')!.openCount === 1,
      'microcom to open the port',
    )
    keys.type('AT+CFUN=1,1\r')
    const r = await running
    expect(r.stdout).toBe('AT+CFUN=1,1\r\r\nOK\r\n')
  })

  it('says it cannot open an absent port, and shows usage for bad arguments', async () => {
    const board = createStubBoard('no-option-vidpid')
    const r = await board.run(['microcom', '-t', '100', '/dev/ttyUSB2'])
    expect(r.status).toBe(1)
    expect(r.stderr).toBe("microcom: can't open '/dev/ttyUSB2': No such file or directory\n")
    const bad = await board.run(['microcom', '-t', 'soon', '/dev/ttyUSB2'])
    expect(bad.stderr).toContain("microcom: invalid number 'soon'")
    expect(bad.stderr).toContain('Usage: microcom [-d DELAY] [-t TIMEOUT] [-s SPEED] [-X] TTY')
  })
})
