/** BootROM stage: identify the stage, upload a loader into SRAM and start it. */
import { FlashError } from './errors'
import { BROM_CPU_INFO, BROM_OUT_EP, BROM_PAGE_BYTES, BROM_REQUEST } from './protocol'
import type { UsbHandle } from './transport'

/** Which program answers on a burning-mode device. */
export type BurnStage = 'brom' | 'loader' | 'unknown'

/** Stage from a GET_CPU_INFO reply: the loader says "Uboot Stage for K230", the BootROM "K230". */
export function stageOfCpuInfo(text: string): BurnStage {
  if (text.includes('Uboot Stage')) return 'loader'
  if (text.startsWith(BROM_CPU_INFO)) return 'brom'
  return 'unknown'
}

/** Sends GET_CPU_INFO and returns the ASCII reply without trailing NULs. */
export async function readCpuInfo(handle: UsbHandle, timeoutMs = 1000): Promise<string> {
  const reply = await handle.controlIn({ request: BROM_REQUEST.getCpuInfo, value: 0, index: 0 }, 32, timeoutMs)
  return Buffer.from(reply).toString('latin1').replace(/\0+$/, '')
}

/** The data stage of a vendor OUT request without data: usb@3.x converts every OUT buffer and rejects `undefined`. */
const NO_DATA = new Uint8Array(0)

/** Splits a 32-bit address into wValue (high half) and wIndex (low half). */
function addressSetup(request: number, address: number) {
  return { request, value: (address >>> 16) & 0xffff, index: address & 0xffff }
}

/** Uploads `loader` at `address` in 1000-byte pages over EP 0x01, then starts it; trusts the handle to be in BootROM stage. */
export async function uploadAndStartLoader(
  handle: UsbHandle,
  loader: Uint8Array,
  address: number,
  onProgress?: (sent: number, total: number) => void,
  timeoutMs = 1000,
): Promise<void> {
  if (loader.length === 0) throw new FlashError('loader-missing', 'emptyLoader')
  const cpu = await readCpuInfo(handle, timeoutMs)
  if (stageOfCpuInfo(cpu) !== 'brom') throw new FlashError('protocol', 'notBrom', { want: BROM_CPU_INFO, text: cpu })
  await handle.controlOut(addressSetup(BROM_REQUEST.setDataAddress, address), NO_DATA, timeoutMs)
  onProgress?.(0, loader.length)
  for (let sent = 0; sent < loader.length; sent += BROM_PAGE_BYTES) {
    const page = loader.subarray(sent, Math.min(sent + BROM_PAGE_BYTES, loader.length))
    await handle.bulkOut(BROM_OUT_EP, page, timeoutMs)
    onProgress?.(sent + page.length, loader.length)
  }
  await handle.controlOut(addressSetup(BROM_REQUEST.progStart, address), NO_DATA, timeoutMs)
}

