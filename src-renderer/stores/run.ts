/** Run store: the live checklist snapshot of every slot, start/rerun/abort on the slot shown, and each slot's scanned serial. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { RunSnapshot } from '@shared/ipc'
import { slotApi } from './slot-api'
import { useNoticesStore } from './notices'
import { useSlotChoiceStore } from './slot-choice'

const EMPTY: RunSnapshot = { running: false, record: null, done: 0, ran: 0, total: 0, elapsedMs: 0 }

/** The runs as the main side reports them; the renderer never computes verdicts itself. */
export const useRunStore = defineStore('run', () => {
  const snapshots = ref<Record<number, RunSnapshot>>({})
  const serials = ref<Record<number, string>>({})
  let subscribed = false
  const slot = (): number => useSlotChoiceStore().selected

  /** The run of the slot the detail screens show. */
  const snapshot = computed<RunSnapshot>({
    get: () => snapshots.value[slot()] ?? EMPTY,
    set: (s) => setSnapshot(slot(), s),
  })
  /** The serial typed or scanned for the slot shown. */
  const serial = computed<string>({
    get: () => serials.value[slot()] ?? '',
    set: (s) => (serials.value = { ...serials.value, [slot()]: s }),
  })
  const verdict = computed(() => verdictOf(snapshot.value))
  const failedSteps = computed(() => (snapshot.value.record?.steps ?? []).filter((s) => s.verdict !== 'pass' && s.verdict !== 'pending' && s.verdict !== 'running').map((s) => s.id))

  /** The verdict a slot's tile and the Run screen show: running, the record's verdict, or none before the first unit. */
  function verdictOf(s: RunSnapshot | undefined) {
    if (!s) return null
    return s.running ? 'running' : (s.record?.verdict ?? null)
  }

  function setSnapshot(index: number, s: RunSnapshot) {
    snapshots.value = { ...snapshots.value, [index]: s }
  }

  async function load() {
    if (!subscribed) {
      subscribed = true
      slotApi().onRunUpdate((index, s) => setSnapshot(index, s))
    }
    setSnapshot(slot(), await slotApi().runSnapshot(slot()))
  }

  async function guard(index: number, action: () => Promise<RunSnapshot>) {
    try {
      setSnapshot(index, await action())
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  async function start() {
    const s = serial.value.trim()
    if (!s || snapshot.value.running) return
    await startOn(slot(), s)
  }

  /** Starts a unit on a given slot (the scanner flow's Enter). */
  async function startOn(index: number, unit: string) {
    serials.value = { ...serials.value, [index]: unit }
    await guard(index, () => slotApi().runStart(index, unit))
  }

  const rerunFailed = () => guard(slot(), () => slotApi().runRerun(slot(), 'failed'))
  const rerunStep = (id: string) => guard(slot(), () => slotApi().runRerun(slot(), [id]))
  const abort = () => guard(slot(), () => slotApi().runAbort(slot()))
  function nextUnit() {
    serial.value = ''
  }
  /** The Support screen's diagnostic run (slot shown, chosen steps). */
  const startSteps = (unit: string, steps?: string[]) => guard(slot(), () => slotApi().runStart(slot(), unit, steps))

  return { snapshots, serials, snapshot, serial, verdict, failedSteps, verdictOf, setSnapshot, load, start, startOn, startSteps, rerunFailed, rerunStep, abort, nextUnit }
})
