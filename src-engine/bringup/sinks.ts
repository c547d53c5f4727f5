/** The outputs a bring-up calls: reports into a results folder (JSON record, HTML, JUnit, ledger, results index) and live progress. */
import type { RunRecord } from '@shared/record'
import type { KeyedMessage } from '@shared/i18n/render'
import type { ChecklistEvent } from '../checklist/runner'
import { DEFAULT_FORMATS, writeReports, type OutputFormat, type WriteOptions } from '../report/write'

/** What a sink gives back once it stored the record: files by kind and warnings that did not stop it. */
export interface SinkResult {
  files?: Partial<Record<string, string>>
  warnings?: KeyedMessage[]
}

/** One output of a bring-up: `event` sees every progress event as it happens, `finished` the sealed record once per run or rerun. */
export interface BringupSink {
  /** Names the sink in warnings (`reports`, `live`). */
  name: string
  event?(event: ChecklistEvent, record: RunRecord): void
  finished?(record: RunRecord): Promise<SinkResult | void>
}

/** Writes the record and its reports into `outDir` (the record file once, atomically; ledger and results index as `options` say). */
export function reportSink(outDir: string, formats: readonly OutputFormat[] = DEFAULT_FORMATS, options: WriteOptions = {}): BringupSink {
  return {
    name: 'reports',
    async finished(record) {
      const written = await writeReports(record, outDir, formats, options)
      return { files: written.files, warnings: written.warnings }
    },
  }
}

/** Forwards every progress event to `onEvent` (CLI progress lines, UI snapshots). */
export function eventSink(onEvent: (event: ChecklistEvent, record: RunRecord) => void, name = 'live'): BringupSink {
  return { name, event: onEvent }
}

/** Stores the record through `store` (the app's results service); its return is the record's path, if any. */
export function storeSink(store: (record: RunRecord) => Promise<string | undefined | void>, name = 'results'): BringupSink {
  return {
    name,
    async finished(record) {
      const path = await store(record)
      return path ? { files: { json: path } } : {}
    },
  }
}
