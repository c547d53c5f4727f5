/** Generators of the reference document's PPP files, from templates parameterised by device, APN, user and password. */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { checkApn, checkDevice, PppParamError, pppdQuote, shQuote } from './quote'

/** What the PPP files depend on. */
export interface PppParams {
  device: string
  apn: string
  user: string
  password: string
  modemBaud?: number
}

/** One file to place on the board (or in an SDK overlay under `board/common/post_copy_rootfs`). */
export interface PppFile {
  /** Absolute path on the board, e.g. `/etc/ppp/peers/quectel-pppd`. */
  path: string
  content: string
  mode: number
  /** True when the content holds the password (mask it in logs). */
  secret: boolean
}

/** Board paths of the generated files, relative to `/etc/ppp`, in the reference document's order. */
export const PPP_FILE_NAMES = [
  'ip-up',
  'peers/quectel-pppd',
  'peers/quectel-chat-connect',
  'peers/quectel-chat-disconnect',
  'quectel-pppd.sh',
  'quectel-ppp-kill',
] as const

export type PppTemplates = Record<(typeof PPP_FILE_NAMES)[number], string>

/** Fills the templates; pure: same inputs, same files. Throws PppParamError naming an unsafe parameter. */
export function renderPppFiles(templates: PppTemplates, params: PppParams): PppFile[] {
  const device = checkDevice(params.device)
  const apn = checkApn(params.apn)
  const baud = params.modemBaud ?? 115200
  if (!Number.isInteger(baud) || baud <= 0) throw new PppParamError('modemBaud', 'notBaud', { value: String(baud) })
  for (const [field, value] of [['user', params.user], ['password', params.password]] as const) {
    if (/[\x00-\x1f\x7f]/.test(value)) throw new PppParamError(field, 'controlCharacters')
  }
  const values: Record<string, string> = {
    DEVICE: device,
    DEVICE_SH: shQuote(device),
    APN: apn,
    APN_SH: shQuote(apn),
    USER_PPPD: pppdQuote(params.user),
    PASSWORD_PPPD: pppdQuote(params.password),
    USER_SH: shQuote(params.user),
    PASSWORD_SH: shQuote(params.password),
    MODEM_BAUD: String(baud),
  }
  return PPP_FILE_NAMES.map((name) => {
    const template = templates[name]
    if (typeof template !== 'string') throw new PppParamError('templates', 'templateMissing', { name })
    const secret = /\{\{PASSWORD_/.test(template)
    const content = template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => {
      if (!(key in values)) throw new PppParamError('templates', 'unknownPlaceholder', { name, placeholder: whole })
      return values[key]
    })
    return { path: `/etc/ppp/${name}`, content, mode: 0o755, secret }
  })
}

function findTemplatesDir(): string {
  const starts = [typeof __dirname === 'string' ? __dirname : process.cwd(), process.cwd()]
  for (const start of starts) {
    let dir = resolve(start)
    for (;;) {
      const candidate = join(dir, 'resources', 'board', 'ppp')
      if (existsSync(join(candidate, 'quectel-pppd.sh'))) return candidate
      const parent = dirname(dir)
      if (parent === dir) break
      dir = parent
    }
  }
  throw new Error('PPP templates not found: resources/board/ppp is missing from the installation')
}

let cached: { dir: string; templates: PppTemplates } | undefined

/** Reads the templates from `dir` (default: the installation's `resources/board/ppp`); cached per directory. */
export function loadPppTemplates(dir?: string): PppTemplates {
  const where = dir ?? findTemplatesDir()
  if (cached?.dir === where) return cached.templates
  const templates = Object.fromEntries(PPP_FILE_NAMES.map((name) => [name, readFileSync(join(where, name), 'utf8')])) as PppTemplates
  cached = { dir: where, templates }
  return templates
}

/** The six PPP files for these parameters from the installed templates. */
export function generatePppFiles(params: PppParams, templatesDir?: string): PppFile[] {
  return renderPppFiles(loadPppTemplates(templatesDir), params)
}
