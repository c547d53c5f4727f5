/** Flash store: the image, its parts, boards in burning mode and per-board progress and result. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { FlashDeviceView, FlashProgress, ImageView } from '@shared/ipc'
import { api } from '../api'
import { useNoticesStore } from './notices'

const UPLOAD_CHUNK = 512 * 1024

function base64(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

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
  const uploading = ref<number | null>(null)
  const starting = ref(false)
  let subscribed = false

  /** True from Flash until every board has ended: Flash is disabled then. */
  const writing = computed(() => starting.value || devices.value.some((d) => d.state === 'flashing'))
  /** True when the boards shown are virtual ones (the demo). */
  const virtual = computed(() => devices.value.length > 0 && devices.value.every((d) => d.virtual))

  async function load() {
    if (!subscribed) {
      subscribed = true
      api().flash.onDevices((d) => (devices.value = d))
      api().flash.onProgress((p) => {
        const last = progress.value[p.deviceId]
        const shown = p.phase === 'failed' && last ? { ...p, bytes: last.bytes, total: last.total } : p
        progress.value = { ...progress.value, [p.deviceId]: shown }
      })
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

  async function useSample() {
    try {
      imagePath.value = await api().flash.sample()
      await inspect()
    } catch (error) {
      useNoticesStore().report(error)
    }
  }

  /** Sends a file picked in the browser host to the host, then reads it as the image. */
  async function upload(file: File) {
    try {
      uploading.value = 0
      let path: string | null = null
      for (let offset = 0; offset < file.size || offset === 0; offset += UPLOAD_CHUNK) {
        const bytes = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK).arrayBuffer())
        path = await api().flash.upload(file.name, offset, base64(bytes), offset + UPLOAD_CHUNK >= file.size)
        uploading.value = Math.min(1, (offset + bytes.length) / Math.max(1, file.size))
        if (file.size === 0) break
      }
      if (path) {
        imagePath.value = path
        await inspect()
      }
    } catch (error) {
      useNoticesStore().report(error)
    } finally {
      uploading.value = null
    }
  }

  async function start() {
    if (writing.value) return
    for (const id of selected.value) {
      const { [id]: _done, ...rest } = progress.value
      progress.value = rest
    }
    starting.value = true
    try {
      await api().flash.start({ image: imagePath.value.trim(), medium: medium.value, devices: selected.value, thenRun: thenRun.value, serial: serial.value.trim() || undefined })
    } catch (error) {
      useNoticesStore().report(error)
    } finally {
      starting.value = false
    }
  }

  return { imagePath, image, medium, devices, selected, progress, thenRun, serial, unavailable, uploading, writing, virtual, load, inspect, useSample, upload, start }
})
