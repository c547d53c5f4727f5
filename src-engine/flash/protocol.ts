/** Constants and packet codec of the K230 burning protocol (BootROM requests and the loader's kburn packets). */
import type { FlashMedium } from '@shared/flash'

/** USB vendor id of a K230 or K230D in burning mode (BootROM and loader stage alike). */
export const K230_BURN_VID = 0x29f1
/** USB product id of a K230 or K230D in burning mode (BootROM and loader stage alike). */
export const K230_BURN_PID = 0x0230

/** BootROM vendor requests (bmRequestType 0xC0 IN / 0x40 OUT). */
export const BROM_REQUEST = { getCpuInfo: 0, setDataAddress: 1, setDataLength: 2, progStart: 4 } as const
/** BootROM bulk OUT endpoint. */
export const BROM_OUT_EP = 0x01
/** BootROM bulk IN endpoint. */
export const BROM_IN_EP = 0x81
/** Bytes per bulk transfer of the loader upload (decimal 1000, as Canaan's tools send). */
export const BROM_PAGE_BYTES = 1000
/** Where the stock loaders are linked and started. */
export const LOADER_LOAD_ADDRESS = 0x80360000
/** What GET_CPU_INFO returns in the BootROM. */
export const BROM_CPU_INFO = 'K230'
/** What GET_CPU_INFO returns once the loader runs. */
export const LOADER_CPU_INFO = 'Uboot Stage for K230'

/** kburn command codes (responses carry code | 0x8000). */
export const KBURN_CMD = { none: 0x00, reboot: 0x01, probe: 0x10, getInfo: 0x11, erase: 0x20, write: 0x21, read: 0x23, readChunk: 0x24 } as const
/** kburn result codes. */
export const KBURN_RESULT = { ok: 1, error: 2, errorMsg: 0xff } as const
/** Size of every kburn command and status packet. */
export const KBURN_PACKET_BYTES = 60
/** Data bytes a kburn packet can carry. */
export const KBURN_DATA_BYTES = 54
/** Magic the REBOOT command carries ("tobR" little-endian). */
export const KBURN_REBOOT_MAGIC = 0x52626f74n

/** Medium type codes of the DEV_PROBE request. */
export const MEDIUM_CODE: Record<FlashMedium, number> = { emmc: 1, sd: 2, 'spi-nand': 3, 'spi-nor': 4, otp: 5 }

/** Loader file name per medium, as Canaan's tools name them. */
export const LOADER_FILE: Record<FlashMedium, string> = {
  emmc: 'loader_mmc.bin',
  sd: 'loader_mmc.bin',
  'spi-nand': 'loader_spi_nand.bin',
  'spi-nor': 'loader_spi_nor.bin',
  otp: 'loader_spi_nor.bin',
}

/** One 60-byte kburn command or status packet. */
export interface KburnPacket {
  cmd: number
  result: number
  data: Uint8Array
}

/** Encodes a packet; trusts data to be at most 54 bytes. */
export function encodePacket(cmd: number, data: Uint8Array = new Uint8Array(0), result = 0): Uint8Array {
  const out = new Uint8Array(KBURN_PACKET_BYTES)
  const view = new DataView(out.buffer)
  view.setUint16(0, cmd, true)
  view.setUint16(2, result, true)
  view.setUint16(4, data.length, true)
  out.set(data.subarray(0, KBURN_DATA_BYTES), 6)
  return out
}

/** Decodes a packet of at least 6 bytes; returns null when too short or data_size overflows it. */
export function decodePacket(bytes: Uint8Array): KburnPacket | null {
  if (bytes.length < 6) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const size = view.getUint16(4, true)
  if (6 + size > bytes.length) return null
  return { cmd: view.getUint16(0, true), result: view.getUint16(2, true), data: bytes.subarray(6, 6 + size) }
}

/** Little-endian u64 fields packed into a byte array. */
export function u64s(...values: (number | bigint)[]): Uint8Array {
  const out = new Uint8Array(values.length * 8)
  const view = new DataView(out.buffer)
  values.forEach((v, i) => view.setBigUint64(i * 8, BigInt(v), true))
  return out
}

/** Reads the i-th little-endian u64 of a byte array as a number (safe below 2^53). */
export function readU64(bytes: Uint8Array, index: number): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(index * 8, true))
}

/** ASCII text of packet data. */
export function packetText(packet: KburnPacket): string {
  return Buffer.from(packet.data).toString('latin1')
}

/** Medium geometry as DEV_GET_INFO reports it. */
export interface MediumInfo {
  capacity: number
  blockSize: number
  eraseSize: number
  timeoutMs: number
  writeProtected: boolean
  type: number
  valid: boolean
}

/** Decodes the 32-byte DEV_GET_INFO reply. */
export function decodeMediumInfo(data: Uint8Array): MediumInfo {
  const word = new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(24, true)
  return {
    capacity: readU64(data, 0),
    blockSize: readU64(data, 1),
    eraseSize: readU64(data, 2),
    timeoutMs: Number(word & 0xffffffffn),
    writeProtected: Number((word >> 32n) & 0xffn) === 1,
    type: Number((word >> 40n) & 0x7fn),
    valid: ((word >> 47n) & 1n) === 1n,
  }
}

/** Encodes a DEV_GET_INFO reply (the virtual loader uses it). */
export function encodeMediumInfo(info: MediumInfo): Uint8Array {
  const word = BigInt(info.timeoutMs) | (BigInt(info.writeProtected ? 1 : 0) << 32n) | (BigInt(info.type & 0x7f) << 40n) | (BigInt(info.valid ? 1 : 0) << 47n)
  return u64s(info.capacity, info.blockSize, info.eraseSize, word)
}
