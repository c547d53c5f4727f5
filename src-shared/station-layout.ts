/** The station's slots (1..8): names, console ports and virtual scenarios; pure, shared by the app, the services and the CLI. */

/** One slot of the station: a name on the tile and where its console comes from. */
export interface SlotLayout {
  name: string
  port?: string
  baud?: number
  scenario?: string
}

/** The station's slots, saved by the app (engineer-only edit) and read by the CLI's --slots FILE. */
export interface StationLayout {
  version: 1
  locked: boolean
  slots: SlotLayout[]
}

/** The most slots a station has. */
export const MAX_SLOTS = 8

/** Console rates a slot may name (the profile's standard rates). */
export const SLOT_BAUDS: readonly number[] = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1500000]

const NAME_MAX = 32
const PORT_MAX = 256
const SCENARIO = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
const PRINTABLE = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u
const COM_ONLY = /^(\\\\\.\\)?COM\d+$/i
const LAYOUT_KEYS = ['version', 'locked', 'slots']
const SLOT_KEYS = ['name', 'port', 'baud', 'scenario']

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const field = (path: string, key: string): string => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`)
const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function slotErrors(value: unknown, path: string): string[] {
  if (!isObject(value)) return [`${path}: expected an object, got ${describe(value)}`]
  const errors: string[] = []
  for (const key of Object.keys(value)) if (!SLOT_KEYS.includes(key)) errors.push(`${field(path, key)}: unexpected field`)
  const { name, port, baud, scenario } = value
  if (typeof name !== 'string') errors.push(`${path}.name: expected a string, got ${describe(name)}`)
  else if (name.length < 1 || name.length > NAME_MAX) errors.push(`${path}.name: expected 1 to ${NAME_MAX} characters, got ${name.length}`)
  else if (!PRINTABLE.test(name) || name.trim() !== name) errors.push(`${path}.name: only printable characters, no leading or trailing spaces`)
  if (port !== undefined) {
    if (typeof port !== 'string') errors.push(`${path}.port: expected a string, got ${describe(port)}`)
    else if (port.length < 1 || port.length > PORT_MAX) errors.push(`${path}.port: expected 1 to ${PORT_MAX} characters, got ${port.length}`)
    else if (!PRINTABLE.test(port)) errors.push(`${path}.port: only printable characters`)
    else if (COM_ONLY.test(port)) errors.push(`${path}.port: a COM number changes on replug; give the USB location (for example Port_#0003.Hub_#0001)`)
  }
  if (baud !== undefined) {
    if (typeof baud !== 'number' || !Number.isInteger(baud)) errors.push(`${path}.baud: expected an integer, got ${describe(baud)}`)
    else if (!SLOT_BAUDS.includes(baud)) errors.push(`${path}.baud: expected one of ${SLOT_BAUDS.join(', ')}`)
  }
  if (scenario !== undefined) {
    if (typeof scenario !== 'string') errors.push(`${path}.scenario: expected a string, got ${describe(scenario)}`)
    else if (!SCENARIO.test(scenario)) errors.push(`${path}.scenario: expected 1 to 64 letters, digits, '-' or '_'`)
  }
  if (port !== undefined && scenario !== undefined) errors.push(`${path}.scenario: a slot has a port or a virtual scenario, not both`)
  return errors
}

/** Pure: every problem of an untrusted layout, each naming its field under `root` (no Node imports); empty when it is a valid layout. */
export function stationLayoutProblems(value: unknown, root = 'layout'): string[] {
  if (!isObject(value)) return [`${root}: expected an object, got ${describe(value)}`]
  const errors: string[] = []
  for (const key of Object.keys(value)) if (!LAYOUT_KEYS.includes(key)) errors.push(`${field(root, key)}: unexpected field`)
  if (value.version !== 1) errors.push(`${root}.version: expected 1, got ${JSON.stringify(value.version) ?? 'undefined'}`)
  if (typeof value.locked !== 'boolean') errors.push(`${root}.locked: expected a boolean, got ${describe(value.locked)}`)
  const slots = value.slots
  if (!Array.isArray(slots)) errors.push(`${root}.slots: expected an array, got ${describe(slots)}`)
  else if (slots.length < 1 || slots.length > MAX_SLOTS) errors.push(`${root}.slots: expected 1 to ${MAX_SLOTS} slots, got ${slots.length}`)
  else {
    slots.forEach((slot, i) => errors.push(...slotErrors(slot, `${root}.slots[${i}]`)))
    const seenNames = new Map<string, number>()
    const seenPorts = new Map<string, number>()
    slots.forEach((slot, i) => {
      if (!isObject(slot)) return
      if (typeof slot.name === 'string') {
        const first = seenNames.get(slot.name)
        if (first !== undefined) errors.push(`${root}.slots[${i}].name: ${JSON.stringify(slot.name)} is already the name of slots[${first}]`)
        else seenNames.set(slot.name, i)
      }
      if (typeof slot.port === 'string') {
        const first = seenPorts.get(slot.port)
        if (first !== undefined) errors.push(`${root}.slots[${i}].port: ${JSON.stringify(slot.port)} is already the port of slots[${first}]`)
        else seenPorts.set(slot.port, i)
      }
    })
  }
  return errors
}

/** Pure: validates untrusted JSON, names the field that is wrong (no Node imports). */
export function parseStationLayout(value: unknown): { ok: true; layout: StationLayout } | { ok: false; errors: string[] } {
  const errors = stationLayoutProblems(value)
  if (errors.length) return { ok: false, errors }
  const valid = value as { locked: boolean; slots: Record<string, unknown>[] }
  const layout: StationLayout = {
    version: 1,
    locked: valid.locked,
    slots: valid.slots.map((s) => {
      const slot: SlotLayout = { name: s.name as string }
      if (s.port !== undefined) slot.port = s.port as string
      if (s.baud !== undefined) slot.baud = s.baud as number
      if (s.scenario !== undefined) slot.scenario = s.scenario as string
      return slot
    }),
  }
  return { ok: true, layout }
}

/** The default station: one slot named "1" on the virtual board's configured scenario. */
export function defaultStationLayout(scenario: string): StationLayout {
  return { version: 1, locked: false, slots: [{ name: '1', scenario }] }
}
