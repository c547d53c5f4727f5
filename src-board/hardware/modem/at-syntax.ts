/**
 * V.250 command-line syntax as the EC200A reads it: a line is whatever precedes CR or LF; anything
 * before the first `AT` is ignored (so `;AT+CFUN=1,1` runs AT+CFUN=1,1); the body is a sequence of
 * basic commands (`E0`, `I`, `&D2`, `D*99#`) and extended commands (`+CSQ`, `+QCFG="usbnet",1`)
 * separated by `;`. Names are case-insensitive; quoted strings keep their case.
 */

/** Returns the body after the `AT` prefix (null when the line holds no `AT`). */
export function commandBody(line: string): string | null {
  const at = line.search(/at/i)
  return at < 0 ? null : line.slice(at + 2)
}

/** Splits a command-line body into single commands; null when the syntax is invalid. */
export function splitCommands(body: string): string[] | null {
  const out: string[] = []
  let i = 0
  while (i < body.length) {
    const c = body[i]
    if (c === ';' || c === ' ') {
      i++
      continue
    }
    if (c === '+' || c === '$' || c === '^') {
      let j = i + 1
      let quoted = false
      while (j < body.length && (quoted || body[j] !== ';')) {
        if (body[j] === '"') quoted = !quoted
        j++
      }
      if (quoted) return null
      out.push(body.slice(i, j).trim())
      i = j
      continue
    }
    if (/[dD]/.test(c)) {
      out.push(body.slice(i).trim())
      break
    }
    if (c === '&' || /[a-zA-Z]/.test(c)) {
      const m =
        /^(&?[a-zA-Z])(\d*)(\?|=\d*)?/.exec(body.slice(i)) ??
        /^[sS]\d+(=\d*|\?)/.exec(body.slice(i))
      if (!m) return null
      out.push(m[0])
      i += m[0].length
      continue
    }
    return null
  }
  return out
}

/** Splits `a,"b,c",,d` into ['a', '"b,c"', '', 'd'] (quotes kept). */
export function splitParams(text: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    if (ch === ',' && !quoted) {
      out.push(cur.trim())
      cur = ''
    } else cur += ch
  }
  out.push(cur.trim())
  return out
}

/** Removes surrounding double quotes from a parameter; null when it is not a quoted string. */
export function unquote(param: string | undefined): string | null {
  if (param === undefined || param.length < 2 || !param.startsWith('"') || !param.endsWith('"'))
    return null
  return param.slice(1, -1)
}
