/** AT console store: the exchanges of this session, newest last, and the command history for arrow keys. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AtExchange } from '@shared/ipc'
import { api } from '../api'
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
  const exchanges = ref<AtExchange[]>([])
  const history = ref<string[]>([])
  const sending = ref(false)

  async function send(command: string) {
    const c = command.trim()
    if (!c || sending.value) return
    sending.value = true
    history.value = [...history.value.filter((h) => h !== c), c].slice(-50)
    try {
      exchanges.value = [...exchanges.value, await api().at.send(c)].slice(-100)
    } catch (error) {
      useNoticesStore().report(error)
    } finally {
      sending.value = false
    }
  }

  /** Leaving the AT screen: microcom exits on the board and the console line is the shell's again. */
  async function leave() {
    try {
      await api().at.leave()
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  return { exchanges, history, sending, send, leave }
})
