/** Reads the catalogues for tests that check a text is in Chinese: every message as a dotted key, and the English pieces Chinese says differently. */
import { en, zhCN } from '../../../src-shared/i18n/catalogue'
import { translator } from '../../../src-shared/i18n/translate'

/** The environment of a Chinese desktop, for the CLI's language detection. */
export const ZH = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' }

const HOLE = '\u0000'

/** Every string of a nested catalogue, by its dotted key. */
export function leaves(obj: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv)
  }
  return out
}

/** The English pieces (split at parameters, two words or more) of the messages whose key matches `keys` and that Chinese says differently, plus `extra`. */
export function englishPieces(keys: RegExp, extra: readonly string[] = []): string[] {
  const english = translator('en')
  const chinese = leaves(zhCN)
  const pieces = new Set<string>(extra)
  for (const [key, message] of leaves(en)) {
    if (!keys.test(key) || chinese.get(key) === message) continue
    const params = Object.fromEntries([...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => [m[1], HOLE]))
    for (const piece of english(key, params).split(HOLE)) {
      const text = piece.trim()
      if (/[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}/.test(text)) pieces.add(text)
    }
  }
  return [...pieces]
}
