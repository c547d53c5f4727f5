/** Flash store: the image, its parts, boards in burning mode and per-board progress. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { FlashDeviceView, FlashProgress, ImageView } from '@shared/ipc'
import { api } from '../api'
import { useNoticesStore } from './notices'

/** Drives the flash facade; progress arrives as events. */
export const useFlashStore = defineStore('flash', () => {
  const imagePath = ref('')
  const image = ref<ImageView | null>(null)
  const medium = ref<'emmc' | 'sd' | 'spi-nand' | 'spi-nor'>('emmc')
  const devices = ref<FlashDeviceView[]>([])
  const selected = ref<string[]>([])
  const progress = ref<Record<string, FlashProgress>>({})
  const thenRun = ref(false)
  const serial = ref('')
  const unavailable = ref<string | null>(null)
  let subscribed = false

  async function load() {
    if (!subscribed) {
      subscribed = true
      api().flash.onDevices((d) => (devices.value = d))
      api().flash.onProgress((p) => (progress.value = { ...progress.value, [p.deviceId]: p }))
    }
    try {
      devices.value = await api().flash.devices()
      unavailable.value = null
    } catch (error) {
      unavailable.value = error instanceof Error ? error.message : String(error)
    }
  }

  async function inspect() {
    try {
      image.value = await api().flash.inspect(imagePath.value.trim())
    } catch (error) {
      image.value = null
      useNoticesStore().report(error)
    }
  }

  async function start() {
    try {
      await api().flash.start({ image: imagePath.value.trim(), medium: medium.value, devices: selected.value, thenRun: thenRun.value, serial: serial.value.trim() || undefined })
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  return { imagePath, image, medium, devices, selected, progress, thenRun, serial, unavailable, load, inspect, start }
})
