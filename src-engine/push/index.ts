/** File push: put any bytes at a board path, verified. */
export { pushFile, PushError, type PushOptions, type PushResult } from './push'
export { probeBoardTools, forgetBoardTools, type BoardTools } from './board-tools'
export { encodeBase64Batch, encodePrintfLines, printfEscape, type EncodedBatch } from './encode'
