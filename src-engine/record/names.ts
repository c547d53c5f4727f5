/** File names of records: unit serial, start time and run id, safe on every filesystem. */
import type { RunRecord } from '@shared/record'

/** `<unit>_<YYYYMMDDTHHMMSSZ>_<id8>.record.json`; characters outside [A-Za-z0-9._-] become `_`. */
export function recordFileName(record: Pick<RunRecord, 'id' | 'unit' | 'startedAt'>): string {
  const unit = (record.unit.serial || 'unit').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64)
  const stamp = record.startedAt.replace(/[-:]/g, '').replace(/\.\d+/, '')
  return `${unit}_${stamp}_${record.id.slice(0, 8)}.record.json`
}
