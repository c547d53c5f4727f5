/** Transcript: journaled console traffic with a kernel-message channel and secret masking. */
export { Transcript, type TranscriptOptions } from './transcript'
export { recordLink } from './record-link'
export { JournalWriter, readJournal, type JournalLine, type JournalOptions } from './journal'
export { ConsoleTextCleaner, KERNEL_STAMP, type CleanedText, type ConsoleTextOptions } from './console-text'
export { maskSecrets, MASK } from '../secrets/mask'
