/** Reports store: history of records, the report open in the preview, exports and the yield summary. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { BundleView, ReportEntry, YieldView } from '@shared/ipc'
import { api } from '../api'
import { ApiError } from '@shared/api'
import { useNoticesStore } from './notices'

/** Downloads bytes the main side returned (base64) under `fileName`. */
export function download(fileName: string, mime: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Lists and renders reports through the main side. */
export const useReportsStore = defineStore('reports', () => {
  const entries = ref<ReportEntry[]>([])
  const query = ref('')
  const openId = ref<string | null>(null)
  const html = ref('')
  const yieldView = ref<YieldView | null>(null)
  const includeSimulated = ref(false)
  const lastExport = ref<{ path: string; fileName: string } | null>(null)
  const bundle = ref<BundleView | null>(null)
  const bundleError = ref<string | null>(null)

  let asked = 0
  /** Lists again; a reply to an earlier request that arrives late never replaces a newer one. */
  async function refresh() {
    const mine = ++asked
    try {
      const listed = await api().reports.list(query.value || undefined, includeSimulated.value)
      if (mine !== asked) return
      entries.value = listed
      const summary = await api().reports.yield(includeSimulated.value)
      if (mine !== asked) return
      yieldView.value = summary
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  async function open(id: string, lang: 'en' | 'zh-CN') {
    openId.value = id
    try {
      html.value = await api().reports.html(id, lang)
    } catch (error) {
      html.value = ''
      useNoticesStore().report(error)
    }
  }

  async function exportAs(format: 'html' | 'json' | 'junit' | 'pdf', lang: 'en' | 'zh-CN') {
    if (!openId.value) return
    try {
      const file = await api().reports.export(openId.value, format, lang)
      lastExport.value = { path: file.path, fileName: file.fileName }
      download(file.fileName, file.mime, file.base64)
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  async function openBundle(path: string) {
    bundleError.value = null
    try {
      bundle.value = await api().reports.openBundle(path)
    } catch (error) {
      bundle.value = null
      if (error instanceof ApiError && error.code === 'bad-bundle') bundleError.value = error.message.replace(/^[^:]*: /, '')
      else useNoticesStore().report(error)
    }
  }

  function closeBundle() {
    bundle.value = null
    bundleError.value = null
  }

  return { entries, query, openId, html, yieldView, lastExport, includeSimulated, bundle, bundleError, refresh, open, exportAs, openBundle, closeBundle }
})
