/** Station store: ports with hot-plug, scenarios, profiles and every slot's console connection state. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ConsoleState, PortView, ProfileProblem, ProfileView, ScenarioView, SdkOverlayView } from '@shared/ipc'
import { api } from '../api'
import { useNoticesStore } from './notices'
import { slotApi } from './slot-api'
import { useSlotChoiceStore } from './slot-choice'

/** Everything the Station screen shows; subscribes to port and console events once. */
export const useStationStore = defineStore('station', () => {
  const ports = ref<PortView[]>([])
  const scenarios = ref<ScenarioView[]>([])
  const profiles = ref<string[]>([])
  const profile = ref<ProfileView | null>(null)
  const profileErrors = ref<ProfileProblem[]>([])
  const sdkOverlay = ref<SdkOverlayView | null>(null)
  const connections = ref<Record<number, ConsoleState>>({})
  const slot = (): number => useSlotChoiceStore().selected
  /** The console of the slot the screens show. */
  const connection = computed<ConsoleState>({
    get: () => connections.value[slot()] ?? { open: false },
    set: (s) => setConnection(slot(), s),
  })
  const connecting = ref(false)
  let subscribed = false
  const stateEvents: Record<number, number> = {}
  const eventsOf = (index: number) => stateEvents[index] ?? 0
  /** Applies a reply's console state unless a state event of that slot arrived after the request went out (the event is newer). */
  const applyReply = (index: number, seen: number, state: ConsoleState) => {
    if (eventsOf(index) === seen) setConnection(index, state)
  }

  function setConnection(index: number, s: ConsoleState) {
    connections.value = { ...connections.value, [index]: s }
  }

  async function load() {
    const notices = useNoticesStore()
    if (!subscribed) {
      subscribed = true
      api().ports.onChanged((p) => (ports.value = p))
      slotApi().onConsoleState((index, s) => {
        stateEvents[index] = eventsOf(index) + 1
        setConnection(index, s)
      })
    }
    api()
      .ports.list()
      .then((p) => (ports.value = p))
      .catch((error: unknown) => notices.report(error))
    const shown = slot()
    const seen = eventsOf(shown)
    const results = await Promise.allSettled([api().sim.scenarios(), api().profiles.list(), slotApi().consoleState(shown)])
    if (results[0].status === 'fulfilled') scenarios.value = results[0].value
    else notices.report(results[0].reason)
    if (results[1].status === 'fulfilled') profiles.value = results[1].value
    if (results[2].status === 'fulfilled') applyReply(shown, seen, results[2].value)
  }

  async function refreshPorts() {
    ports.value = await api().ports.list()
  }

  async function connect(target: { kind: 'port'; path: string; baud: number } | { kind: 'sim'; scenario: string }, index = slot()) {
    connecting.value = true
    const seen = eventsOf(index)
    try {
      applyReply(index, seen, await slotApi().consoleOpen(index, target))
    } catch (error) {
      useNoticesStore().report(error)
    } finally {
      connecting.value = false
    }
  }

  async function disconnect() {
    const index = slot()
    const seen = eventsOf(index)
    applyReply(index, seen, await slotApi().consoleClose(index))
  }

  async function loadProfile(name: string) {
    try {
      profile.value = await api().profiles.load(name)
      profileErrors.value = profile.value.errors
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  async function validateProfile(text: string) {
    try {
      profileErrors.value = await api().profiles.validate(text)
    } catch (error) {
      profileErrors.value = [{ message: error instanceof Error ? error.message : String(error) }]
    }
  }

  async function saveProfile(name: string, text: string) {
    try {
      profile.value = await api().profiles.save(name, text)
      profileErrors.value = []
      profiles.value = await api().profiles.list()
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  async function writeSdkOverlay(name: string) {
    try {
      sdkOverlay.value = await api().profiles.sdkOverlay(name)
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  return { ports, scenarios, profiles, profile, profileErrors, connections, connection, setConnection, connecting, sdkOverlay, load, refreshPorts, connect, disconnect, loadProfile, validateProfile, saveProfile, writeSdkOverlay }
})
