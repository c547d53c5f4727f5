/** `tsx src-webhost/main.ts [--port N] [--static DIR] [--data DIR] [--results DIR] [--time-scale X] [--announce no-electron|web]`: runs the browser host on the per-user folders (or the given ones) and prints its URL in the language of LANG (with `--announce`, also why it runs and the plain "open this address" sentence). */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defaultDataFolder, defaultResultsFolder } from '@engine/record/default-folder'
import { createServices } from '../src-services/index'
import { startWebHost } from './server'
import { lineDashboardFromEnv } from './line-dashboard'
import { cliT, envLang } from '../src-cli/lang'
import { thrownText } from '../src-cli/command'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const root = resolve(__dirname, '..')
const port = Number(arg('port') ?? process.env.K230_WEB_PORT ?? 5180)
const dataDir = resolve(arg('data') ?? defaultDataFolder())
const resultsDir = resolve(arg('results') ?? (arg('data') && !process.env.K230_RESULTS_DIR ? join(dataDir, 'results') : defaultResultsFolder()))
const timeScale = Number(arg('time-scale') ?? process.env.K230_SIM_TIME_SCALE ?? 1)
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a TCP port: ${port}`)
if (!(timeScale > 0 && timeScale <= 10)) throw new Error(`--time-scale: expected a number in (0, 10], got ${timeScale}`)

const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
const services = createServices({
  dataDir,
  resultsDir,
  simTimeScale: timeScale,
  appVersion: version,
  host: 'browser',
  systemLanguages: () => [],
})

const t = cliT(envLang(process.env))
const announce = arg('announce')
if (announce === 'no-electron' || announce === 'web') process.stdout.write(`${t(announce === 'web' ? 'cli.webhost.web' : 'cli.webhost.noElectron')}\n`)

startWebHost({ port, staticDir: resolve(arg('static') ?? join(root, 'out', 'web')), services, token: process.env.K230_WEBHOST_TOKEN || undefined, lineDashboard: lineDashboardFromEnv(process.env) }).then(
  (host) => {
    process.stdout.write(`${t('cli.webhost.serving', { url: host.url })}\n`)
    process.stdout.write(`${t('cli.webhost.results', { dir: resultsDir })}\n`)
    if (announce) process.stdout.write(`\n${t('cli.webhost.openInBrowser', { url: host.url })}\n${t('cli.webhost.stopHint')}\n`)
    const stop = () => void host.close().then(() => services.dispose()).finally(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  },
  (error: unknown) => {
    process.stderr.write(`${t('cli.webhost.failed', { error: thrownText(error, t) })}\n`)
    process.exit(1)
  },
)
