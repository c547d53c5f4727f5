/** Result of parsing BusyBox-style short options. */
export interface ParsedOptions {
  flags: Set<string>
  values: Map<string, string>
  operands: string[]
  /** First problem found, worded like BusyBox (`invalid option -- 'x'`), or null. */
  error: string | null
}

/** Parses short options like getopt(3): `spec` lists letters, a letter followed by ':' takes a value (`-t 100` or `-t100`). */
export function getopt(args: string[], spec: string): ParsedOptions {
  const takesValue = new Set<string>()
  const known = new Set<string>()
  for (let i = 0; i < spec.length; i++) {
    known.add(spec[i])
    if (spec[i + 1] === ':') {
      takesValue.add(spec[i])
      i++
    }
  }
  const out: ParsedOptions = { flags: new Set(), values: new Map(), operands: [], error: null }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') {
      out.operands.push(...args.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.operands.push(arg)
      continue
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]
      if (!known.has(letter)) {
        out.error ??= `invalid option -- '${letter}'`
        continue
      }
      if (takesValue.has(letter)) {
        const rest = arg.slice(j + 1)
        const value = rest !== '' ? rest : args[++i]
        if (value === undefined) out.error ??= `option requires an argument -- '${letter}'`
        else out.values.set(letter, value)
        break
      }
      out.flags.add(letter)
    }
  }
  return out
}

/** Parses a non-negative integer option value; null when it is not one. */
export function parseCount(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null
  return Number(text)
}
