/** File name of a record: the reports' base name (`<serial>_<start>_<id8>`) with `.json`, so reports and record pair up. */
import type { RunRecord } from '@shared/record'
import { reportBaseName } from '../report/write'

/** `<serial>_<YYYYMMDDTHHMMSSZ>_<id8>.json`, the same name writeReports gives the JSON report. */
export function recordFileName(record: Pick<RunRecord, 'id' | 'unit' | 'startedAt'>): string {
  return `${reportBaseName(record)}.json`
}
