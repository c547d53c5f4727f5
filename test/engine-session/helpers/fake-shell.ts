/** A scripted stand-in for the board's shell, speaking just enough of the session's protocol to test its parser. */
import { LinkLostError, type Link } from '@engine/link/link'

/** Noise the fake adds to what it prints. */
export interface Noise {
  /** Kernel lines spliced in at the given fractions (0..1) of each reply. */
  kernel?: { at: number; line: string }[]
  /** Escape sequences spliced in at the given fractions of each reply. */
  escapes?: { at: number; text: string }[]
  /** Bytes printed before each reply (stale output). */
  before?: Uint8Array
  /** Reply split into chunks at these fractions. */
  splits?: number[]
}

/** One scripted command: `emit N` prints `output` and exits with `status`. */
export interface Scripted {
  output: string
  status: number
}

/** The fake shell as a Link plus what it saw. */
export interface FakeShell extends Link {
  script: Scripted[]
  noise: () => Noise
  kernelSent: string[]
}

/** Creates a fake BusyBox shell with echo off after `stty -echo`, markers, PS1 and printk answers. */
export function createFakeShell(script: Scripted[], noise: () => Noise = () => ({})): FakeShell {
  const dataListeners = new Set<(chunk: Uint8Array) => void>()
  const closeListeners = new Set<(e?: LinkLostError) => void>()
  let prompt = '[root@canaan ~ ]# '
  let pending = ''
  let compound: { start: string; lines: string[] } | null = null
  let open = true
  const kernelSent: string[] = []

  const deliver = (clean: string) => {
    const n = noise()
    const crlf = clean.replace(/\n/g, '\r\n')
    const inserts = [...(n.kernel ?? []).map((k) => ({ at: k.at, text: `${k.line}\r\n`, kernel: k.line })), ...(n.escapes ?? []).map((e) => ({ at: e.at, text: e.text, kernel: '' }))]
      .map((ins) => {
        let pos = Math.floor(ins.at * crlf.length)
        if (pos > 0 && crlf[pos - 1] === '\r' && crlf[pos] === '\n') pos--
        return { ...ins, pos }
      })
      .sort((a, b) => a.pos - b.pos)
    let text = ''
    let last = 0
    for (const ins of inserts) {
      text += crlf.slice(last, ins.pos) + ins.text
      last = ins.pos
      if (ins.kernel) kernelSent.push(ins.kernel)
    }
    text += crlf.slice(last)
    const bytes = Buffer.concat([Buffer.from(n.before ?? new Uint8Array()), Buffer.from(text, 'utf8')])
    const cuts = [...new Set((n.splits ?? []).map((f) => Math.floor(f * bytes.length)))].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)
    let from = 0
    for (const cut of [...cuts, bytes.length]) {
      const chunk = new Uint8Array(bytes.subarray(from, cut))
      from = cut
      setImmediate(() => {
        if (open) for (const l of [...dataListeners]) l(chunk)
      })
    }
  }

  const evaluate = (body: string): { output: string; status: number } => {
    const ps1 = /PS1='([^']*)''([^']*)'/.exec(body)
    if (ps1) prompt = ps1[1] + ps1[2]
    if (body.includes('cat /proc/sys/kernel/printk')) return { output: '1\t4\t1\t7\n', status: 0 }
    const echo = /^echo ([A-Za-z0-9-]+)''([A-Za-z0-9-]+)$/.exec(body.trim())
    if (echo) return { output: `${echo[1]}${echo[2]}\n`, status: 0 }
    const emit = /^emit (\d+)$/.exec(body.trim())
    if (emit) return script[Number(emit[1])]
    return { output: '', status: 0 }
  }

  const line = (text: string) => {
    if (compound) {
      const end = /^}; echo ([A-Z]+)''([A-Z]+) \$\?$/.exec(text)
      if (!end) {
        compound.lines.push(text)
        return
      }
      const r = evaluate(compound.lines.join('\n'))
      deliver(`${compound.start}\n${r.output}${end[1]}${end[2]} ${r.status}\n${prompt}`)
      compound = null
      return
    }
    const start = /^echo ([A-Z]+)''([A-Z]+); \{$/.exec(text)
    if (start) {
      compound = { start: start[1] + start[2], lines: [] }
      return
    }
    const probe = /^echo ((?:[A-Z]{2}\\)+[A-Z]{2})$/.exec(text)
    if (probe) return deliver(`${probe[1].replace(/\\/g, '')}\n${prompt}`)
    deliver(prompt)
  }

  const link: FakeShell = {
    name: 'fake',
    baudRate: 115200,
    script,
    noise,
    kernelSent,
    get isOpen() {
      return open
    },
    async write(data) {
      if (!open) throw new LinkLostError('fake', 'closed')
      pending += typeof data === 'string' ? data : Buffer.from(data).toString('utf8')
      pending = pending.replace(/[\x18]/g, '')
      if (pending.includes('\x03')) {
        pending = pending.slice(pending.lastIndexOf('\x03') + 1)
        compound = null
        deliver(`^C\n${prompt}`)
      }
      let nl: number
      while ((nl = pending.indexOf('\n')) !== -1) {
        const text = pending.slice(0, nl)
        pending = pending.slice(nl + 1)
        line(text)
      }
    },
    onData(listener) {
      dataListeners.add(listener)
      return () => dataListeners.delete(listener)
    },
    onClose(listener) {
      closeListeners.add(listener)
      return () => closeListeners.delete(listener)
    },
    async close() {
      open = false
      for (const l of closeListeners) l()
    },
  }
  return link
}
