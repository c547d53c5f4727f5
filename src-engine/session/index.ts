/** Shell session: attach, marker-framed commands, quoting. */
export { SessionError, type ShellSession, type RunOptions, type RunResult, type SessionErrorCode, type ShellSessionEvents } from './types'
export { BusyBoxSession, type ShellSessionOptions, type BusyBoxRunOptions, type Preparation, type SessionState } from './shell-session'
export { ShellStrategy, SHELL_LOSING_CODES, type ShellState, type ShellStrategyOptions } from './strategy'
export { shellQuote, ShellQuoteError } from './quote'
export { ConsoleStream, WaitTimeout } from './console-stream'
export { textLineFault, kernelLineFault, type ConsoleFault } from './faults'
export { startsBackgroundJob } from './background'
export { randomMarker, splitQuoted } from './markers'
