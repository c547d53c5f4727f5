import type { BoardFs } from '../types'

/** Converts a shell glob (with `*`, `?`, `[...]`) into an anchored regular expression. */
export function globToRegExp(pattern: string): RegExp {
  let re = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2)
      if (close < 0) re += '\\['
      else {
        let body = pattern.slice(i + 1, close)
        if (body.startsWith('!')) body = '^' + body.slice(1)
        re += '[' + body.replace(/\\/g, '\\\\') + ']'
        i = close
      }
    } else if (c === '\\' && i + 1 < pattern.length) re += '\\' + pattern[++i]
    else re += c.replace(/[.+^${}()|\\/]/g, '\\$&')
  }
  return new RegExp('^' + re + '$', 's')
}

/** True when a pattern contains an unescaped glob metacharacter. */
export function hasGlob(pattern: string): boolean {
  return /(^|[^\\])[*?[]/.test(pattern)
}

/** Expands a pathname pattern against the board filesystem; returns sorted matches (empty when none). */
export function expandPathname(pattern: string, cwd: string, fs: BoardFs): string[] {
  const absolute = pattern.startsWith('/')
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0)
  let bases: string[] = [absolute ? '/' : '']
  for (const segment of absolute ? segments.slice(1) : segments) {
    const next: string[] = []
    for (const base of bases) {
      const dir = base === '' ? cwd : base
      if (!hasGlob(segment)) {
        const candidate = join(base, segment.replace(/\\(.)/g, '$1'))
        if (fs.exists(resolve(cwd, candidate))) next.push(candidate)
        continue
      }
      let names: string[]
      try {
        names = fs.readdir(dir)
      } catch {
        continue
      }
      const re = globToRegExp(segment)
      for (const name of names) if ((!name.startsWith('.') || segment.startsWith('.')) && re.test(name)) next.push(join(base, name))
    }
    bases = next
    if (bases.length === 0) break
  }
  return bases.sort()
}

function join(base: string, name: string): string {
  if (base === '') return name
  return base.endsWith('/') ? base + name : `${base}/${name}`
}

function resolve(cwd: string, p: string): string {
  if (p.startsWith('/')) return p
  return (cwd === '/' ? '' : cwd) + '/' + p
}
