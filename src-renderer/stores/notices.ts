/** Notices shown to the technician: errors from the main side and confirmations, each dismissible. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { i18n } from '../i18n'
import { keyedText } from '@shared/i18n/render'

/** One notice. */
export interface Notice {
  id: number
  kind: 'error' | 'info'
  text: string
}

/** Notices store; `report(error)` turns anything thrown into readable text. */
export const useNoticesStore = defineStore('notices', () => {
  const items = ref<Notice[]>([])
  let next = 1
  function push(kind: Notice['kind'], text: string) {
    if (items.value.some((n) => n.text === text)) return
    const notice = { id: next++, kind, text }
    items.value = [...items.value.slice(-2), notice]
    if (kind === 'info') setTimeout(() => dismiss(notice.id), 6000)
  }
  function report(error: unknown) {
    const message = error instanceof Error ? error.message : String(error)
    const code = (error as { code?: unknown } | null)?.code
    const keyed = error as { key?: unknown; params?: Record<string, string | number> } | null
    const t = (k: string, p?: Record<string, unknown>) => i18n.global.t(k, p ?? {})
    if (keyed && typeof keyed.key === 'string' && keyed.key) return push('error', keyedText(t, { key: keyed.key, params: keyed.params }, message))
    const key = `errors.${String(code)}`
    push('error', typeof code === 'string' && i18n.global.te(key) ? i18n.global.t(key, { message }) : message)
  }
  function dismiss(id: number) {
    items.value = items.value.filter((n) => n.id !== id)
  }
  return { items, push, report, dismiss }
})
