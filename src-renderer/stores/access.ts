/** Access store: the role in force (technician, engineer, support), the engineer unlock and the audit log. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AccessView, AuditEntry } from '@shared/ipc'
import { api } from '../api'
import { useNoticesStore } from './notices'

/** The role as the main side holds it; the renderer only mirrors it to lock controls. */
export const useAccessStore = defineStore('access', () => {
  const view = ref<AccessView>({ role: 'technician', passwordSet: false })
  const audit = ref<AuditEntry[]>([])
  const engineer = computed(() => view.value.role === 'engineer')
  let subscribed = false
  let changes = 0

  async function load() {
    if (!subscribed) {
      subscribed = true
      api().access.onChanged((v) => {
        changes++
        view.value = v
      })
    }
    const seen = changes
    const state = await api().access.state()
    if (changes === seen) view.value = state
  }

  async function guard(action: () => Promise<AccessView>): Promise<boolean> {
    try {
      view.value = await action()
      await refreshAudit()
      return true
    } catch (error) {
      useNoticesStore().report(error)
      return false
    }
  }

  async function refreshAudit() {
    try {
      audit.value = await api().access.audit()
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  const unlock = (password: string) => guard(() => api().access.unlock(password))
  const setPassword = (password: string, current?: string) => guard(() => api().access.setPassword(password, current))
  const useRole = (role: 'technician' | 'support') => guard(() => api().access.useRole(role))

  return { view, audit, engineer, load, unlock, setPassword, useRole, refreshAudit }
})
