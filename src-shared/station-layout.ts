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

/** What is wrong with one field of a layout: the field's path, a `layoutError.<reason>` catalogue code and its parameters. */
export interface LayoutProblem {
  field: string
  reason:
    | 'notObject' | 'unexpectedField' | 'notString' | 'length' | 'nameChars' | 'portChars' | 'comOnly' | 'notInteger' | 'baudList'
    | 'scenarioPattern' | 'portAndScenario' | 'version' | 'notBoolean' | 'notArray' | 'slotCount' | 'duplicateName' | 'duplicatePort'
  params: Record<string, string | number>
}

const problem = (fieldPath: string, reason: LayoutProblem['reason'], params: Record<string, string | number> = {}): LayoutProblem => ({ field: fieldPath, reason, params })
const got = (v: unknown): Record<string, string> => ({ got: describe(v), gotKey: `layoutError.type.${describe(v)}` })

function slotProblems(value: unknown, path: string): LayoutProblem[] {
  if (!isObject(value)) return [problem(path, 'notObject', got(value))]
  const errors: LayoutProblem[] = []
  for (const key of Object.keys(value)) if (!SLOT_KEYS.includes(key)) errors.push(problem(field(path, key), 'unexpectedField'))
  const { name, port, baud, scenario } = value
  if (typeof name !== 'string') errors.push(problem(`${path}.name`, 'notString', got(name)))
  else if (name.length < 1 || name.length > NAME_MAX) errors.push(problem(`${path}.name`, 'length', { min: 1, max: NAME_MAX, length: name.length }))
  else if (!PRINTABLE.test(name) || name.trim() !== name) errors.push(problem(`${path}.name`, 'nameChars'))
  if (port !== undefined) {
    if (typeof port !== 'string') errors.push(problem(`${path}.port`, 'notString', got(port)))
    else if (port.length < 1 || port.length > PORT_MAX) errors.push(problem(`${path}.port`, 'length', { min: 1, max: PORT_MAX, length: port.length }))
    else if (!PRINTABLE.test(port)) errors.push(problem(`${path}.port`, 'portChars'))
    else if (COM_ONLY.test(port)) errors.push(problem(`${path}.port`, 'comOnly'))
  }
  if (baud !== undefined) {
    if (typeof baud !== 'number' || !Number.isInteger(baud)) errors.push(problem(`${path}.baud`, 'notInteger', got(baud)))
    else if (!SLOT_BAUDS.includes(baud)) errors.push(problem(`${path}.baud`, 'baudList', { bauds: SLOT_BAUDS.join(', ') }))
  }
  if (scenario !== undefined) {
    if (typeof scenario !== 'string') errors.push(problem(`${path}.scenario`, 'notString', got(scenario)))
    else if (!SCENARIO.test(scenario)) errors.push(problem(`${path}.scenario`, 'scenarioPattern'))
  }
  if (port !== undefined && scenario !== undefined) errors.push(problem(`${path}.scenario`, 'portAndScenario'))
  return errors
}

/** Pure: every problem of an untrusted layout as codes and parameters, each naming its field under `root`; empty when it is a valid layout. */
export function layoutProblems(value: unknown, root = 'layout'): LayoutProblem[] {
  if (!isObject(value)) return [problem(root, 'notObject', got(value))]
  const errors: LayoutProblem[] = []
  for (const key of Object.keys(value)) if (!LAYOUT_KEYS.includes(key)) errors.push(problem(field(root, key), 'unexpectedField'))
  if (value.version !== 1) errors.push(problem(`${root}.version`, 'version', { value: JSON.stringify(value.version) ?? 'undefined' }))
  if (typeof value.locked !== 'boolean') errors.push(problem(`${root}.locked`, 'notBoolean', got(value.locked)))
  const slots = value.slots
  if (!Array.isArray(slots)) errors.push(problem(`${root}.slots`, 'notArray', got(slots)))
  else if (slots.length < 1 || slots.length > MAX_SLOTS) errors.push(problem(`${root}.slots`, 'slotCount', { max: MAX_SLOTS, count: slots.length }))
  else {
    slots.forEach((slot, i) => errors.push(...slotProblems(slot, `${root}.slots[${i}]`)))
    const seenNames = new Map<string, number>()
    const seenPorts = new Map<string, number>()
    slots.forEach((slot, i) => {
      if (!isObject(slot)) return
      if (typeof slot.name === 'string') {
        const first = seenNames.get(slot.name)
        if (first !== undefined) errors.push(problem(`${root}.slots[${i}].name`, 'duplicateName', { name: slot.name, first }))
        else seenNames.set(slot.name, i)
      }
      if (typeof slot.port === 'string') {
        const first = seenPorts.get(slot.port)
        if (first !== undefined) errors.push(problem(`${root}.slots[${i}].port`, 'duplicatePort', { port: slot.port, first }))
        else seenPorts.set(slot.port, i)
      }
    })
  }
  return errors
}

/** Pure: a layout problem as a `field: reason` line for developers' logs and the IPC check (people read `layoutError.*` through a catalogue). */
export function layoutProblemLine(p: LayoutProblem): string {
  const params = Object.entries(p.params).filter(([k]) => !k.endsWith('Key')).map(([k, v]) => `${k}=${v}`)
  return `${p.field}: ${p.reason}${params.length ? ` (${params.join(', ')})` : ''}`
}

/** Pure: the catalogue message of a layout problem (`layoutError.<reason>` with the field among its parameters). */
export function layoutProblemMessage(p: LayoutProblem): { key: string; params: Record<string, string | number> } {
  return { key: `layoutError.${p.reason}`, params: { ...p.params, field: p.field } }
}

/** Pure: every problem of an untrusted layout as a log line and a catalogue message, empty when valid; the IPC's station:setLayout check. */
export function stationLayoutChecks(value: unknown, root = 'layout'): { line: string; message: { key: string; params: Record<string, string | number> } }[] {
  return layoutProblems(value, root).map((p) => ({ line: layoutProblemLine(p), message: layoutProblemMessage(p) }))
}

/** Pure: a refused layout as one catalogue message: its first problem (as `problemKey` with its parameters) and how many more there are. */
export function layoutRefusal(problems: readonly { key: string; params: Record<string, string | number> }[]): { key: string; params: Record<string, string | number> } {
  const first = problems[0] ?? { key: 'layoutError.notObject', params: {} }
  const params = { ...first.params, problemKey: first.key }
  return problems.length > 1 ? { key: 'serviceError.badLayoutMore', params: { ...params, more: problems.length - 1 } } : { key: 'serviceError.badLayout', params }
}

/** Pure: validates untrusted JSON, names the field that is wrong (no Node imports). */
export function parseStationLayout(value: unknown): { ok: true; layout: StationLayout } | { ok: false; errors: string[]; problems: LayoutProblem[] } {
  const problems = layoutProblems(value)
  if (problems.length) return { ok: false, errors: problems.map(layoutProblemLine), problems }
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
