/** Support store: a returned unit's runs (factory first), the comparison with the factory record, ticket notes and the bundle. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { BundleWritten, ReportEntry, RunSnapshot } from '@shared/ipc'
import type { RunRecord } from '@shared/record'
import { compareRuns, factoryRun } from '@shared/compare'
import { api } from '../api'
import { useNoticesStore } from './notices'

type Viewed = Omit<RunRecord, 'transcript'>

/** Lookup, side-by-side comparison, notes and bundle of one unit; trusts the main side for records. */
export const useSupportStore = defineStore('support', () => {
  const key = ref('')
  const looked = ref('')
  const entries = ref<ReportEntry[]>([])
  const factory = ref<Viewed | null>(null)
  const compared = ref<Viewed | null>(null)
  const notes = ref('')
  const bundle = ref<BundleWritten | null>(null)
  const searching = ref(false)
  const comparison = computed(() => (factory.value && compared.value ? compareRuns(factory.value, compared.value) : null))
  const factoryEntry = computed(() => factoryRun(entries.value))

  async function lookup() {
    const k = key.value.trim()
    if (!k) return
    searching.value = true
    try {
      entries.value = await api().support.lookup(k)
      looked.value = k
      bundle.value = null
      compared.value = null
      const f = factoryRun(entries.value)
      factory.value = f ? await api().support.record(f.id) : null
      notes.value = await api().support.notes(k)
    } catch (error) {
      useNoticesStore().report(error)
    } finally {
      searching.value = false
    }
  }

  async function compareWith(id: string) {
    try {
      compared.value = await api().support.record(id)
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  /** Shows the live diagnostic run beside the factory record as it progresses. */
  function follow(snapshot: RunSnapshot) {
    const r = snapshot.record
    if (r && r.purpose === 'support' && looked.value && [r.unit.serial, r.unit.imei, r.unit.iccid].includes(looked.value)) compared.value = r
  }

  async function refreshRuns() {
    if (!looked.value) return
    try {
      entries.value = await api().support.lookup(looked.value)
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  async function saveNotes() {
    if (!looked.value) return
    try {
      notes.value = await api().support.notes(looked.value, notes.value)
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  async function exportBundle() {
    if (!looked.value) return
    try {
      bundle.value = await api().support.bundle(looked.value, notes.value, entries.value.map((e) => e.id))
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  return { key, looked, entries, factory, factoryEntry, compared, comparison, notes, bundle, searching, lookup, compareWith, follow, refreshRuns, saveNotes, exportBundle }
})
