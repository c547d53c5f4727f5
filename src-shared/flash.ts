/** Flash step types and their mapping to a checklist step record (pure: no Node). */
import type { Measurement, StepRecord, Verdict } from './record'

/** Media a K230 loader can write; `otp` is irreversible and refused unless explicitly enabled. */
export const FLASH_MEDIA = ['emmc', 'sd', 'spi-nand', 'spi-nor', 'otp'] as const
/** One of FLASH_MEDIA. */
export type FlashMedium = (typeof FLASH_MEDIA)[number]

/** Human names of the media, for messages and reports. */
export const MEDIUM_LABEL: Record<FlashMedium, string> = {
  emmc: 'eMMC',
  sd: 'SD card',
  'spi-nand': 'SPI-NAND',
  'spi-nor': 'SPI-NOR',
  otp: 'OTP',
}

/** Why a flash ended; `verified` is the full success, `written-unverified` a success whose read-back the loader cannot do. */
export type FlashOutcome = 'verified' | 'written-unverified' | 'verify-failed' | 'write-failed' | 'refused' | 'device-lost' | 'error' | 'aborted'

/** True when every part was written (verified, or written where the loader cannot read the medium back). */
export function flashWritten(outcome: FlashOutcome): boolean {
  return outcome === 'verified' || outcome === 'written-unverified'
}

/** Read-back state of a part or a flash: `unverifiable` = written, but this loader cannot read the medium back. */
export type FlashVerify = 'pass' | 'fail' | 'unverifiable' | 'skipped' | 'pending'

/** Machine codes of flash failures, each with one clear message in `FlashResult.error`. */
export type FlashErrorCode =
  | 'image-invalid'
  | 'usage'
  | 'otp-refused'
  | 'usb-unavailable'
  | 'device-not-found'
  | 'device-busy'
  | 'device-lost'
  | 'handoff-timeout'
  | 'loader-missing'
  | 'loader-rejected'
  | 'medium-too-small'
  | 'medium-write-protected'
  | 'alignment'
  | 'write-error'
  | 'read-error'
  | 'verify-mismatch'
  | 'protocol'
  | 'timeout'
  | 'aborted'

/** One part written to the medium, with the hashes that prove it. */
export interface FlashPartResult {
  name: string
  /** Byte address on the medium. */
  offset: number
  /** Bytes sent to the device (content, padded to the medium block). */
  writtenBytes: number
  /** Content bytes taken from the image. */
  contentBytes: number
  /** SHA-256 (hex) of the content as the image declares it (kdimg) or as read from the image (plain). */
  imageSha256: string
  /** SHA-256 (hex) of the bytes sent. */
  writtenSha256?: string
  /** SHA-256 (hex) of the same range read back from the medium. */
  readBackSha256?: string
  verify: FlashVerify
  writeMs?: number
  verifyMs?: number
}

/** Result of one flash of one board: what goes into `RunRecord.flash`. */
export interface FlashResult {
  image: {
    /** File name as given (`fw.zip`), with the inner entry after `!` when compressed (`fw.zip!fw.kdimg`). */
    name: string
    format: 'kdimg' | 'img' | 'unknown'
    compression: 'none' | 'gz' | 'zip' | 'tgz'
    /** Size of the file on disk. */
    fileBytes: number
    /** Size of the image once decompressed (0 when it could not be read). */
    imageBytes: number
    /** kdimg header texts when present. */
    info?: { image: string; chip: string; board: string }
  }
  medium: FlashMedium
  device: { address: string; transport: 'usb' | 'virtual'; scenario?: string; chip?: string }
  loader?: { name: string; bytes: number }
  /** Medium capacity reported by the loader. */
  capacityBytes?: number
  parts: FlashPartResult[]
  bytesWritten: number
  /** Write phase only (what the throughput figure divides by). */
  writeMs: number
  verifyMs: number
  /** Whole flash, from image check to reboot. */
  durationMs: number
  /** Bytes written per second over the write phase. */
  throughputBytesPerSec: number
  verify: Exclude<FlashVerify, 'pending'>
  rebooted: boolean
  outcome: FlashOutcome
  /** The failure: its code, the catalogue key and parameters people read it through, and the English text for logs and older readers. */
  error?: { code: FlashErrorCode; message: string; key?: string; params?: Record<string, string | number> }
  startedAt: string
  endedAt: string
}

const OUTCOME_VERDICT: Record<FlashOutcome, Verdict> = {
  verified: 'pass',
  'written-unverified': 'pass',
  'verify-failed': 'fail',
  'write-failed': 'fail',
  refused: 'error',
  'device-lost': 'error',
  error: 'error',
  aborted: 'aborted',
}

/** Checklist verdict of a flash outcome: the board's own faults fail the unit, station faults are `error`. */
export function flashVerdict(result: Pick<FlashResult, 'outcome'>): Verdict {
  return OUTCOME_VERDICT[result.outcome]
}

/** Parameters of the `flash-failed` reason: the English `detail` for old readers, and the error's key and parameters people read it through. */
export function flashFailureParams(result: Pick<FlashResult, 'error' | 'outcome'>): Record<string, string | number> {
  const error = result.error
  if (!error) return { detail: result.outcome }
  return { ...(error.params ?? {}), detail: error.message, ...(error.key ? { detailKey: error.key } : {}) }
}

/** Turns a FlashResult into the checklist's `flash` step record (one attempt); trusts the result's fields. */
export function flashStepRecord(result: FlashResult, attempt = 1): StepRecord {
  const verdict = flashVerdict(result)
  const mb = (n: number) => Math.round((n / 1e6) * 100) / 100
  const measurements: Measurement[] = [
    { name: 'bytes written', value: result.bytesWritten, unit: 'B', outcome: 'unset' },
    { name: 'throughput', value: mb(result.throughputBytesPerSec), unit: 'MB/s', outcome: 'unset' },
    { name: 'duration', value: Math.round(result.durationMs), unit: 'ms', outcome: 'unset' },
    { name: 'verify', value: result.verify === 'unverifiable' ? 'not verifiable with this loader' : result.verify, limits: result.verify === 'unverifiable' ? undefined : { equals: 'pass' }, outcome: result.verify === 'pass' ? 'pass' : result.verify === 'fail' ? 'fail' : 'unset' },
  ]
  if (result.capacityBytes !== undefined) measurements.push({ name: 'medium capacity', value: result.capacityBytes, unit: 'B', outcome: 'unset' })
  const lines = [
    `image ${result.image.name} (${result.image.format}, ${result.image.imageBytes} B) -> ${MEDIUM_LABEL[result.medium]} on ${result.device.address}`,
    ...result.parts.map(
      (p) => `${p.name} @0x${p.offset.toString(16)} ${p.writtenBytes} B sha256 ${p.imageSha256.slice(0, 16)} read-back ${p.readBackSha256?.slice(0, 16) ?? '-'} ${p.verify}`,
    ),
  ]
  if (result.outcome === 'written-unverified') lines.push(`written, not verifiable with this loader: it cannot read the ${MEDIUM_LABEL[result.medium]} back`)
  if (result.error) lines.push(`${result.error.code}: ${result.error.message}`)
  return {
    id: 'flash',
    title: 'Flash firmware over USB',
    needs: [],
    verdict,
    attempts: [
      {
        attempt,
        verdict,
        reason: result.error?.message ?? (result.outcome === 'written-unverified' ? 'written, not verifiable with this loader' : verdict === 'pass' ? 'written and verified by read-back hash' : undefined),
        ...(result.error ? { reasonCode: 'flash-failed', reasonParams: flashFailureParams(result) } : {}),
        startedAt: result.startedAt,
        endedAt: result.endedAt,
        durationMs: result.durationMs,
        measurements,
        evidence: { excerpt: lines.join('\n') },
        error: result.error ? { code: result.error.code, message: result.error.message } : undefined,
      },
    ],
  }
}
