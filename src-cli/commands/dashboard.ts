import type { CliCommand } from '../command'
import { EXIT, UsageError } from '../command'
import { maskUrl, migrate, openPg, serveDashboard } from '@engine/db/index'
import { parseFlags } from './console-args'

/** `k230-bringup dashboard --db URL [--port N]`: serves the line dashboard on loopback until stopped. */
export const dashboardCommand: CliCommand = {
  name: 'dashboard',
  summary: 'serve the line dashboard over the line database',
  usage: 'k230-bringup dashboard --db URL [--port N]     (URL may also come from K230_LINE_DB; the page is on http://127.0.0.1:PORT/)',
  async run(argv, io) {
    const { flags, rest } = parseFlags(argv, { values: ['db', 'port'], booleans: [] })
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`)
    const url = (flags.get('db') as string | undefined) ?? io.env.K230_LINE_DB
    if (!url) throw new UsageError('give --db URL (or set K230_LINE_DB)')
    const portText = (flags.get('port') as string | undefined) ?? '8230'
    const port = Number(portText)
    if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port ${portText} is not a port number (0–65535)`)
    const sql = openPg(url)
    try {
      await migrate(sql)
    } catch (error) {
      io.stderr.write(`k230-bringup dashboard: ${(error as Error).message}\n`)
      await sql.close()
      return EXIT.lost
    }
    const { server, port: bound } = await serveDashboard(sql, port)
    io.stdout.write(`line dashboard for ${maskUrl(url)} on http://127.0.0.1:${bound}/\n`)
    await new Promise<void>((done) => {
      const stop = () => server.close(() => done())
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await sql.close()
    return EXIT.ok
  },
}
