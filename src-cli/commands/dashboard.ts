import type { CliCommand } from '../command'
import { EXIT, UsageError, thrownText } from '../command'
import { maskUrl, migrate, openPg, serveDashboard } from '@engine/db/index'
import { parseCommandArgs } from '../args'

/** `k230-bringup dashboard --db URL [--port N]`: serves the line dashboard on loopback until stopped. */
export const dashboardCommand: CliCommand = {
  name: 'dashboard',
  summary: 'serve the line dashboard over the line database',
  usage: 'k230-bringup dashboard --db URL [--port N]     (URL may also come from K230_LINE_DB; the page is on http://127.0.0.1:PORT/)',
  async run(argv, io) {
    const { values, t } = parseCommandArgs(argv, io.env, { db: { type: 'string' }, port: { type: 'string' } })
    const url = values.db ?? io.env.K230_LINE_DB
    if (!url) throw new UsageError('cli.common.needsDb')
    const portText = values.port ?? '8230'
    const port = Number(portText)
    if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError('cli.dashboard.port', { value: portText })
    const sql = openPg(url)
    try {
      await migrate(sql)
    } catch (error) {
      io.stderr.write(`k230-bringup dashboard: ${thrownText(error, t, maskUrl(url))}\n`)
      await sql.close()
      return EXIT.lost
    }
    const { server, port: bound } = await serveDashboard(sql, port)
    io.stdout.write(`${t('cli.dashboard.serving', { url: maskUrl(url), port: bound })}\n`)
    await new Promise<void>((done) => {
      const stop = () => server.close(() => done())
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await sql.close()
    return EXIT.ok
  },
}
