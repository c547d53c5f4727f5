/** The run record on disk: journal while running, atomic final file, recovery of crashed runs. */
export { recordDigest, writeFileAtomic, writeRecordFile } from './atomic'
export { RunJournal, journalFileName, type JournalEvent } from './journal'
export { parseJournal, recoverJournals, replayJournal, type RecoveredJournal } from './recover'
export { recordFileName } from './names'
export { maskSecrets } from '../secrets/mask'
