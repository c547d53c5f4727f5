/** Path containment checks for paths a client names (the renderer may only point at the station's own folders). */
import { resolve, sep } from 'node:path'

/** True when `path` is one of `roots` or lies inside one of them (after resolving `..`). */
export function isInside(path: string, roots: readonly string[]): boolean {
  const p = resolve(path)
  return roots.some((root) => {
    const r = resolve(root)
    return p === r || p.startsWith(r.endsWith(sep) ? r : r + sep)
  })
}
