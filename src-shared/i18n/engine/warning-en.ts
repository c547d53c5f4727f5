/** English text of what the outputs of a run report without stopping it (`reportWarning.*`, from src-engine/report and src-engine/bringup). */
export default {
  pdfPrinted: 'PDF printed with {chromium}',
  noChromium: 'No Chromium found for PDF output: install chromium (Debian: apt-get install chromium) or set K230_CHROMIUM to a Chromium/Chrome executable. Other formats were still written.',
  noChromiumForced:
    'No Chromium found for PDF output (K230_CHROMIUM={path} is not an executable file): install chromium (Debian: apt-get install chromium) or set K230_CHROMIUM to a Chromium/Chrome executable. Other formats were still written.',
  noPlaywright: 'PDF output needs the playwright-core package to drive Chromium ({detail}); run npm ci.',
  ledgerTorn: '{ledger}: a torn last line ({bytes} bytes, from an interrupted write) was moved to {ledger}.torn',
  sinkFailed: '{sink}: {detail}',
}
