// `npm run dist`: builds the app and packages it with electron-builder; stops with a clear message when no Electron binary can be had.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const electronDir = join(root, 'node_modules', 'electron')
const pathFile = join(electronDir, 'path.txt')
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null
const localDist = process.env.ELECTRON_DIST

if (!localDist && (!binary || !existsSync(binary))) {
  console.error(
    [
      'npm run dist: cannot package: no Electron binary is installed on this machine.',
      '',
      'electron-builder needs the Electron runtime for the target platform (and the NSIS/AppImage',
      'toolsets), which are downloaded from GitHub. This machine cannot reach them',
      '(node_modules/electron has no dist/ because ELECTRON_SKIP_BINARY_DOWNLOAD was set or the download failed).',
      '',
      'To package: on a machine with internet access run `npm ci`, then `npm run electron:fetch` (npm ci runs no',
      'install scripts, see .npmrc), then `npm run dist`. Or point ELECTRON_DIST at an unpacked Electron of the pinned version.',
      'Package Windows on Windows and Linux on Linux: serialport and usb ship per-platform prebuilt binaries.',
    ].join('\n'),
  )
  process.exit(3)
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const run = (args) => spawnSync(npx, args, { cwd: root, stdio: 'inherit' }).status === 0
if (!run(['electron-vite', 'build'])) process.exit(1)
const extra = localDist ? [`-c.electronDist=${localDist}`] : []
process.exit(run(['electron-builder', '--config', 'electron-builder.yml', ...extra, ...process.argv.slice(2)]) ? 0 : 1)
