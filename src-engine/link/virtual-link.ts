/** Link to the in-process virtual board. */
import type { ConsoleEndpoint } from './endpoint'
import { LinkLostError, type Link } from './link'
import { LinkEvents } from './link-events'

/** Wraps a simulated console endpoint (the virtual board) as a Link; the board's unplug surfaces once as LinkLostError. */
export function openVirtualLink(board: ConsoleEndpoint): Link {
  const name = `virtual:${board.options.scenario}`
  const events = new LinkEvents(name)
  const offData = board.onData((chunk) => events.data(chunk))
  const offUnplug = board.onUnplug(() => {
    offData()
    events.close(new LinkLostError(name, 'virtual board unplugged'))
  })
  return {
    name,
    baudRate: board.options.baud,
    get isOpen() {
      return !events.closed
    },
    async write(data) {
      if (events.closed) throw events.lostError ?? new LinkLostError(name, 'link is closed')
      board.write(data)
    },
    onData: (listener) => events.onData(listener),
    onClose: (listener) => events.onClose(listener),
    async close() {
      offData()
      offUnplug()
      events.close()
    },
  }
}
