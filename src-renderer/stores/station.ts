/** Station store: ports with hot-plug, scenarios, profiles and the console connection state. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ConsoleState, PortView, ProfileView, ScenarioView, SdkOverlayView } from '@shared/ipc'
import { api } from '../api'
import { useNoticesStore } from './notices'

/** Everything the Station screen shows; subscribes to port and console events once. */
export const useStationStore = defineStore('station', () => {
  const ports = ref<PortView[]>([])
  const scenarios = ref<ScenarioView[]>([])
  const profiles = ref<string[]>([])
  const profile = ref<ProfileView | null>(null)
  const profileErrors = ref<string[]>([])
  const sdkOverlay = ref<SdkOverlayView | null>(null)
  const connection = ref<ConsoleState>({ open: false })
  const connecting = ref(false)
  let subscribed = false
  let stateEvents = 0
  /** Applies a reply's console state unless a state event arrived after the request went out (the event is newer). */
  const applyReply = (seen: number, state: ConsoleState) => {
    if (stateEvents === seen) connection.value = state
  }

  async function load() {
    const notices = useNoticesStore()
    if (!subscribed) {
      subscribed = true
      api().ports.onChanged((p) => (ports.value = p))
      api().console.onState((s) => {
        if ((s.slot ?? 0) !== 0) return
        stateEvents++
        connection.value = s
      })
    }
    api()
      .ports.list()
      .then((p) => (ports.value = p))
      .catch((error: unknown) => notices.report(error))
    const seen = stateEvents
    const results = await Promise.allSettled([api().sim.scenarios(), api().profiles.list(), api().console.state()])
    if (results[0].status === 'fulfilled') scenarios.value = results[0].value
    else notices.report(results[0].reason)
    if (results[1].status === 'fulfilled') profiles.value = results[1].value
    if (results[2].status === 'fulfilled') applyReply(seen, results[2].value)
  }

  async function refreshPorts() {
    ports.value = await api().ports.list()
  }

  async function connect(target: { kind: 'port'; path: string; baud: number } | { kind: 'sim'; scenario: string }) {
    connecting.value = true
    const seen = stateEvents
    try {
      applyReply(seen, await api().console.open(target))
    } catch (error) {
      useNoticesStore().report(error)
    } finally {
      connecting.value = false
    }
  }

  async function disconnect() {
    const seen = stateEvents
    applyReply(seen, await api().console.close())
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
      profileErrors.value = [error instanceof Error ? error.message : String(error)]
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

  return { ports, scenarios, profiles, profile, profileErrors, connection, connecting, sdkOverlay, load, refreshPorts, connect, disconnect, loadProfile, validateProfile, saveProfile, writeSdkOverlay }
})
