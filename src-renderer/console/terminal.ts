/** The one xterm.js terminal of the app, kept outside reactive state and alive across screen changes so scrollback is kept. */
import { Terminal } from '@xterm/xterm'
import { FitAddon } from '@xterm/addon-fit'
import { SearchAddon } from '@xterm/addon-search'
import '@xterm/xterm/css/xterm.css'
import { slotApi } from '../stores/slot-api'
import { highlightKernel, newHighlightState } from './highlight'
import { isTerminalReply } from './terminal-reply'
import { newStampState, stampLines } from './timestamps'

/** The terminal and its addons. */
export interface ConsoleTerminal {
  term: Terminal
  fit: FitAddon
  search: SearchAddon
  element: HTMLDivElement
  /** Receives everything the board printed since the app started (also while the screen is hidden). */
  dispose(): void
}

let instance: ConsoleTerminal | null = null
let shownSlot = 0
let stamping = false
const stampState = newStampState()

/** Turns time stamps at the start of each received line on or off (from the next line on). */
export function setTimestamps(on: boolean): void {
  stamping = on
}

/** Creates the terminal once, subscribes it to console data and forwards typed keys to the board. */
export function consoleTerminal(): ConsoleTerminal {
  if (instance) return instance
  const element = document.createElement('div')
  element.className = 'terminal-host'
  element.dataset.testid = 'console-terminal'
  const term = new Terminal({ scrollback: 20_000, convertEol: false, cursorBlink: true, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 14, allowProposedApi: true })
  const fit = new FitAddon()
  const search = new SearchAddon()
  term.loadAddon(fit)
  term.loadAddon(search)
  parking().appendChild(element)
  term.open(element)
  const state = newHighlightState()
  const offData = slotApi().onConsoleData((slot, text) => {
    if (slot !== shownSlot) return
    const shown = highlightKernel(text, state)
    term.write(stamping ? stampLines(shown, stampState, new Date()) : shown)
    if (!stamping) stampState.atLineStart = /\n$/.test(text)
  })
  let lastRefusal = ''
  const typed = term.onData((data) => {
    slotApi()
      .consoleWrite(shownSlot, data)
      .then(
        () => (lastRefusal = ''),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error)
          if (isTerminalReply(data) || message === lastRefusal) return
          lastRefusal = message
          term.write(`\r\n\x1b[31m${message}\x1b[0m\r\n`)
        },
      )
  })
  instance = {
    term,
    fit,
    search,
    element,
    dispose() {
      offData()
      typed.dispose()
      term.dispose()
      instance = null
    },
  }
  return instance
}

/** Shows slot `index`'s console: the terminal is cleared and refilled from that slot's transcript, then follows its data. */
export async function showSlot(index: number): Promise<void> {
  if (index === shownSlot) return
  shownSlot = index
  const t = consoleTerminal()
  t.term.reset()
  const text = await slotApi().consoleTranscript(index)
  if (shownSlot === index) t.term.write(text)
}

/** The slot whose console the terminal shows. */
export function terminalSlot(): number {
  return shownSlot
}

/** An off-screen place where the terminal keeps rendering while the Console screen is not shown. */
export function parking(): HTMLElement {
  let el = document.getElementById('terminal-parking')
  if (!el) {
    el = document.createElement('div')
    el.id = 'terminal-parking'
    el.setAttribute('aria-hidden', 'true')
    el.style.cssText = 'position:fixed;left:-20000px;top:0;width:960px;height:480px;overflow:hidden'
    document.body.appendChild(el)
  }
  return el
}

/** The visible text of the terminal buffer (what a technician sees, including scrollback). */
export function terminalText(t: ConsoleTerminal): string {
  const buffer = t.term.buffer.active
  const lines: string[] = []
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '')
  return lines.join('\n')
}
