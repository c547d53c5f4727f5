/** Run store: the live checklist snapshot, start/rerun/abort, and the scanner's serial. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { RunSnapshot } from '@shared/ipc'
import { api } from '../api'
import { useNoticesStore } from './notices'

const EMPTY: RunSnapshot = { running: false, record: null, done: 0, ran: 0, total: 0, elapsedMs: 0 }

/** The run as the main side reports it; the renderer never computes verdicts itself. */
export const useRunStore = defineStore('run', () => {
  const snapshot = ref<RunSnapshot>(EMPTY)
  const serial = ref('')
  let subscribed = false
  const verdict = computed(() => (snapshot.value.running ? 'running' : (snapshot.value.record?.verdict ?? null)))
  const failedSteps = computed(() => (snapshot.value.record?.steps ?? []).filter((s) => s.verdict !== 'pass' && s.verdict !== 'pending' && s.verdict !== 'running').map((s) => s.id))

  async function load() {
    if (!subscribed) {
      subscribed = true
      api().run.onUpdate((s) => {
        if ((s.slot ?? 0) === 0) snapshot.value = s
      })
    }
    snapshot.value = await api().run.snapshot()
  }

  async function guard(action: () => Promise<RunSnapshot>) {
    try {
      snapshot.value = await action()
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  async function start() {
    const s = serial.value.trim()
    if (!s || snapshot.value.running) return
    await guard(() => api().run.start(s))
  }

  const rerunFailed = () => guard(() => api().run.rerun('failed'))
  const rerunStep = (id: string) => guard(() => api().run.rerun([id]))
  const abort = () => guard(() => api().run.abort())
  function nextUnit() {
    serial.value = ''
  }

  return { snapshot, serial, verdict, failedSteps, load, start, rerunFailed, rerunStep, abort, nextUnit }
})
