// `npm start`: the desktop app when Electron is installed, otherwise the browser host on the virtual board (prints its URL).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const args = process.argv.slice(2)

function electronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

function run(cmd, cmdArgs) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

if (electronBinary() && !args.includes('--web')) {
  run(npx, ['electron-vite', 'dev'])
} else {
  console.log(electronBinary() ? 'Starting the browser host (--web).' : 'Electron is not installed here: starting the browser host on the virtual board instead.')
  const build = spawnSync(npx, ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  run(process.execPath, ['--import', 'tsx', 'src-webhost/main.ts', ...args.filter((a) => a !== '--web')])
}
