/** AT console store: the exchanges of this session, newest last, and the command history for arrow keys. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AtExchange } from '@shared/ipc'
import { slotApi } from './slot-api'
import { useSlotChoiceStore } from './slot-choice'
import { useNoticesStore } from './notices'

/** One-click queries of the AT console. */
export const COMMON_AT = [
  { key: 'ati', command: 'ATI' },
  { key: 'csq', command: 'AT+CSQ' },
  { key: 'cpin', command: 'AT+CPIN?' },
  { key: 'cops', command: 'AT+COPS?' },
  { key: 'creg', command: 'AT+CEREG?' },
  { key: 'imei', command: 'AT+CGSN' },
  { key: 'iccid', command: 'AT+QCCID' },
  { key: 'usbnet', command: 'AT+QCFG="usbnet"' },
] as const

/** Sends commands one at a time through the main side. */
export const useAtStore = defineStore('at', () => {
  const bySlot = ref<Record<number, AtExchange[]>>({})
  const choice = useSlotChoiceStore()
  /** The exchanges of the slot shown. */
  const exchanges = computed(() => bySlot.value[choice.selected] ?? [])
  const history = ref<string[]>([])
  const sending = ref(false)
  const used = new Set<number>()

  async function send(command: string) {
    const c = command.trim()
    if (!c || sending.value) return
    sending.value = true
    history.value = [...history.value.filter((h) => h !== c), c].slice(-50)
    try {
      const slot = choice.selected
      used.add(slot)
      const answer = await slotApi().atSend(slot, c)
      bySlot.value = { ...bySlot.value, [slot]: [...(bySlot.value[slot] ?? []), answer].slice(-100) }
    } catch (error) {
      useNoticesStore().report(error)
    } finally {
      sending.value = false
    }
  }

  /** Leaving the AT screen (or its slot): microcom exits on each board it ran on and the console line is the shell's again. */
  async function leave(slots: number[] = [...used]) {
    for (const slot of slots) used.delete(slot)
    try {
      await Promise.all(slots.map((slot) => slotApi().atLeave(slot)))
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  return { bySlot, exchanges, history, sending, send, leave }
})
