// `npm start`: the desktop app when Electron is installed, otherwise the browser host on the virtual board, opened in the browser (or its address printed plainly).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { browserOpener, hostUrlIn } from './start-browser.mjs'

const root = new URL('..', import.meta.url).pathname
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const args = process.argv.slice(2)

function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

function openBrowser(url) {
  if (args.includes('--no-open')) return
  const opener = browserOpener(process.platform, process.env)
  if (!opener) return
  const child = spawn(opener.cmd, [...opener.args, url], { stdio: 'ignore', detached: true })
  child.on('error', () => undefined)
  child.unref()
}

if (electronBinary() && !args.includes('--web')) {
  forwardSignals(spawn(npx, ['electron-vite', 'dev'], { cwd: root, stdio: 'inherit' }))
} else {
  const build = spawnSync(npx, ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  const hostArgs = args.filter((a) => a !== '--web' && a !== '--no-open')
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-webhost/main.ts', ...hostArgs, '--announce', electronBinary() ? 'web' : 'no-electron'], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] })
  let pending = ''
  let opened = false
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk)
    if (opened) return
    pending += chunk.toString('utf8')
    const url = hostUrlIn(pending)
    if (url) {
      opened = true
      openBrowser(url)
    }
  })
  forwardSignals(child)
}
