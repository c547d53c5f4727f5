/** PDF export in the app: the report HTML printed by Electron's printToPDF in a hidden sandboxed window, sealed like the CLI's PDFs. */
import { BrowserWindow } from 'electron'
import { writeFile } from 'node:fs/promises'
import type { RunRecord } from '@shared/record'
import { maskRecord, pdfFooterTemplate, pdfHeaderTemplate, recordDigest, renderHtml, sealPdf } from '@engine/report/index'
import { SECURE_WEB_PREFERENCES } from './window'

/** Prints `record` to `outFile` (A4, header with unit and date, footer with digest and pages); trusts the record from the results folder. */
export async function printReportPdf(record: RunRecord, lang: 'en' | 'zh-CN', outFile: string): Promise<void> {
  const masked = maskRecord(record)
  const html = renderHtml(masked, { lang, transcriptOpen: true })
  const win = new BrowserWindow({ show: false, webPreferences: { ...SECURE_WEB_PREFERENCES, javascript: false } })
  try {
    await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`)
    const pdf = await win.webContents.printToPDF({
      pageSize: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: pdfHeaderTemplate(masked, lang),
      footerTemplate: pdfFooterTemplate(masked, recordDigest(masked), lang),
    })
    await writeFile(outFile, sealPdf(pdf))
  } finally {
    win.destroy()
  }
}
