/** pppd options that take one argument. */
const WITH_ARG = new Set([
  'user',
  'password',
  'connect',
  'disconnect',
  'init',
  'welcome',
  'remotename',
  'ipparam',
  'name',
  'file',
  'call',
  'logfile',
  'linkname',
  'ipcp-max-failure',
  'ipcp-max-configure',
  'ipcp-max-terminate',
  'ipcp-restart',
  'lcp-echo-interval',
  'lcp-echo-failure',
  'lcp-max-configure',
  'lcp-max-failure',
  'lcp-max-terminate',
  'lcp-restart',
  'pap-max-authreq',
  'pap-restart',
  'pap-timeout',
  'chap-interval',
  'chap-max-challenge',
  'chap-restart',
  'mru',
  'mtu',
  'holdoff',
  'maxfail',
  'idle',
  'asyncmap',
  'escape',
  'unit',
  'connect-delay',
  'ms-dns',
  'ms-wins',
  'kdebug',
  'domain',
  'active-filter',
  'pass-filter',
  'netmask',
  'connect-max-attempts',
  'ifname',
])

/** pppd options without argument that the board's pppd knows. */
const FLAGS = new Set([
  'noauth',
  'auth',
  'debug',
  'defaultroute',
  'nodefaultroute',
  'replacedefaultroute',
  'noipdefault',
  'novj',
  'novjccomp',
  'noccp',
  'ipcp-accept-local',
  'ipcp-accept-remote',
  'local',
  'modem',
  'lock',
  'nolock',
  'dump',
  'dryrun',
  'nodetach',
  'updetach',
  'detach',
  'crtscts',
  'nocrtscts',
  'cdtrcts',
  'nocdtrcts',
  'xonxoff',
  'usepeerdns',
  'hide-password',
  'show-password',
  'persist',
  'nopersist',
  'noipv6',
  '+ipv6',
  'noaccomp',
  'nopcomp',
  'nobsdcomp',
  'nodeflate',
  'nomagic',
  'silent',
  'passive',
  'proxyarp',
  'noproxyarp',
  'require-pap',
  'require-chap',
  'refuse-pap',
  'refuse-chap',
  'refuse-eap',
  'refuse-mschap',
  'refuse-mschap-v2',
  'default-asyncmap',
  'receive-all',
  'multilink',
  'nomultilink',
  'noendpoint',
  'demand',
  'nodeflate',
  'noremoteip',
  'noipx',
  'lcp-echo-adaptive',
  'default-mru',
])

/** One option as pppd recorded it, with where it came from (for `dump`). */
export interface PppOption {
  name: string
  value?: string
  source: string
}

/** Result of reading pppd's options; `error` is pppd's message when something was wrong. */
export interface PppOptions {
  list: PppOption[]
  device: string | null
  speed: number | null
  localRemote: string | null
  error: string | null
}

/** Splits an options file like pppd's getword(): whitespace-separated words, `#` comments, '…' and "…" quoting, backslash escapes. */
export function tokenizeOptionsFile(text: string): string[] {
  const words: string[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (/\s/.test(ch)) {
      i++
      continue
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++
      continue
    }
    let word = ''
    let quote: string | null = null
    while (i < text.length) {
      const c = text[i]
      if (quote) {
        if (c === quote) quote = null
        else if (c === '\\' && quote === '"' && i + 1 < text.length) word += escape(text[++i])
        else word += c
        i++
        continue
      }
      if (/\s/.test(c)) break
      if (c === '"' || c === "'") quote = c
      else if (c === '\\' && i + 1 < text.length) {
        i++
        if (text[i] !== '\n') word += escape(text[i])
      } else word += c
      i++
    }
    words.push(word)
  }
  return words
}

function escape(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c
}

/** Adds argv-style option words to `into` (file words or command-line words), reading `call`/`file` through `readFile`. */
export function parsePppOptions(
  words: string[],
  source: string,
  into: PppOptions,
  readFile: (path: string) => string | null,
  depth = 0,
): void {
  for (let i = 0; i < words.length && !into.error; i++) {
    const word = words[i]
    if (word.startsWith('/dev/') || /^tty\w+$/.test(word)) {
      into.device = word.startsWith('/') ? word : `/dev/${word}`
      into.list.push({ name: into.device, source })
      continue
    }
    if (/^\d+$/.test(word)) {
      into.speed = Number(word)
      into.list.push({ name: word, source })
      continue
    }
    if (/^(\d+\.\d+\.\d+\.\d+)?:(\d+\.\d+\.\d+\.\d+)?$/.test(word)) {
      into.localRemote = word
      into.list.push({ name: word, source })
      continue
    }
    if (WITH_ARG.has(word)) {
      const value = words[i + 1]
      if (value === undefined) {
        into.error = `${source === 'command line' ? '' : `In file ${source}: `}too few parameters for option '${word}'`
        return
      }
      i++
      if (word === 'call' || word === 'file') {
        const path = word === 'call' ? `/etc/ppp/peers/${value}` : value
        if (depth > 8) {
          into.error = `In file ${path}: too many nested option files`
          return
        }
        const text = readFile(path)
        if (text === null) {
          into.error = `Can't open options file ${path}: No such file or directory`
          return
        }
        parsePppOptions(tokenizeOptionsFile(text), path, into, readFile, depth + 1)
        continue
      }
      into.list.push({ name: word, value, source })
      continue
    }
    if (FLAGS.has(word)) {
      into.list.push({ name: word, source })
      continue
    }
    into.error = `${source === 'command line' ? '' : `In file ${source}: `}unrecognized option '${word}'`
    return
  }
}

/** Last value of an option, or undefined. */
export function optionValue(options: PppOptions, name: string): string | undefined {
  for (let i = options.list.length - 1; i >= 0; i--)
    if (options.list[i].name === name) return options.list[i].value
  return undefined
}

/** Whether a flag option was given. */
export function hasOption(options: PppOptions, name: string): boolean {
  return options.list.some((o) => o.name === name)
}

/** pppd's `dump` listing (`pppd options in effect:` then one line per option with its source; passwords masked). */
export function dumpOptions(options: PppOptions): string {
  const lines = ['pppd options in effect:']
  for (const o of options.list) {
    const value = o.name === 'password' ? '??????' : o.value
    lines.push(`${o.name}${value !== undefined ? ' ' + value : ''}\t\t# (from ${o.source})`)
  }
  return lines.join('\n') + '\n'
}
