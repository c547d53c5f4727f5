/** Line store: the line-server settings, what waits in the station's outbox and why, and the station keys. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { InvokeRequest, LineServerView, LineTestView, OutboxView, StationKeysView } from '@shared/ipc'
import { api } from '../api'
import { i18n } from '../i18n'
import { useNoticesStore } from './notices'
import { useAccessStore } from './access'

/** Mirrors the main side's line sync; every change goes through the main side, which checks the role. */
export const useLineStore = defineStore('line', () => {
  const server = ref<LineServerView | null>(null)
  const outbox = ref<OutboxView | null>(null)
  const testResult = ref<LineTestView | null>(null)
  const testing = ref(false)
  const sending = ref(false)
  const dashboardUrl = ref<string | null>(null)
  const keys = ref<StationKeysView | null>(null)
  let subscribed = false

  async function guarded<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action()
    } catch (error) {
      useNoticesStore().report(error)
      return undefined
    }
  }

  async function load() {
    if (!subscribed) {
      subscribed = true
      api().outbox.onChanged((v) => (outbox.value = v))
    }
    server.value = (await guarded(() => api().line.get())) ?? server.value
  }

  async function loadOutbox() {
    await load()
    outbox.value = (await guarded(() => api().outbox.list())) ?? outbox.value
    dashboardUrl.value = server.value?.configured ? await api().line.dashboard().then((d) => d.url, () => null) : null
  }

  async function save(patch: InvokeRequest<'line:set'>): Promise<boolean> {
    const view = await guarded(() => api().line.set(patch))
    if (!view) return false
    server.value = view
    testResult.value = null
    void useAccessStore().refreshAudit()
    useNoticesStore().push('info', i18n.global.t('line.saved'))
    return true
  }

  async function test() {
    testing.value = true
    testResult.value = null
    try {
      testResult.value = (await guarded(() => api().line.test())) ?? null
    } finally {
      testing.value = false
    }
  }

  async function sendNow() {
    sending.value = true
    try {
      outbox.value = (await guarded(() => api().outbox.send())) ?? outbox.value
    } finally {
      sending.value = false
    }
  }

  async function loadKeys() {
    keys.value = (await guarded(() => api().keys.list())) ?? keys.value
  }

  async function exportKey(): Promise<string | undefined> {
    return guarded(() => api().keys.exportPublic())
  }

  async function importKey(text: string): Promise<boolean> {
    const key = await guarded(() => api().keys.importTrusted(text))
    if (!key) return false
    useNoticesStore().push('info', i18n.global.t('keys.imported', { station: key.station, keyId: key.keyId }))
    await Promise.all([loadKeys(), useAccessStore().refreshAudit()])
    return true
  }

  async function removeKey(keyId: string) {
    const view = await guarded(() => api().keys.remove(keyId))
    if (!view) return
    keys.value = view
    useNoticesStore().push('info', i18n.global.t('keys.removed', { keyId }))
    await useAccessStore().refreshAudit()
  }

  return { server, outbox, testResult, testing, sending, dashboardUrl, keys, load, loadOutbox, save, test, sendNow, loadKeys, exportKey, importKey, removeKey }
})
