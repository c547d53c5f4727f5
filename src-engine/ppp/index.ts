/** PPP file generators (shared by the checklist's ppp-config step and the SDK overlay command). */
export { generatePppFiles, loadPppTemplates, renderPppFiles, PPP_FILE_NAMES, type PppFile, type PppParams, type PppTemplates } from './generate'
export { checkApn, checkDevice, pppdQuote, PppParamError, shQuote } from './quote'
