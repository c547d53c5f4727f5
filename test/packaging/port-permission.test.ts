import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { openSerialLink } from '@engine/link/serial-link'
import { explainOpenError, openErrorMessage } from '@engine/link/open-error'
import { keyedText } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'

const root = join(__dirname, '..', '..')
const canDropToNobody = process.platform === 'linux' && (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v runuser']).status === 0)

describe('opening a serial port the station may not use', () => {
  it('names the dialout group and the udev rule when Linux refuses the port', () => {
    const message = explainOpenError('/dev/ttyUSB0', 'Error: Permission denied, cannot open /dev/ttyUSB0', 'linux')
    expect(message).toContain('dialout')
    expect(message).toContain('60-k230-bringup.rules')
  })

  it('says the same in Chinese from the same catalogue message', () => {
    const zh = translator('zh-CN')
    expect(keyedText(zh, openErrorMessage('/dev/ttyUSB0', 'Error: Permission denied, cannot open /dev/ttyUSB0', 'linux'))).toMatch(/^无法打开 \/dev\/ttyUSB0：没有权限。.*dialout.*60-k230-bringup\.rules/)
    expect(keyedText(zh, openErrorMessage('COM3', 'Opening COM3: Access denied', 'win32'))).toMatch(/另一个程序.*正占用该串口/)
  })

  it('says another program holds the port when Windows denies access to a COM port', () => {
    expect(explainOpenError('COM3', 'Opening COM3: Access denied', 'win32')).toMatch(/Another program .* has the port open/)
  })

  it('says the adapter may be unplugged when the port does not exist', async () => {
    await expect(openSerialLink({ path: join(tmpdir(), 'no-such-tty-k230') })).rejects.toThrow(/no such port\. Is the USB-serial adapter plugged in\?/)
  })

  it.skipIf(!canDropToNobody)('reports a real EACCES from serialport, opened by an unprivileged user, with the dialout advice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k230-perm-'))
    chmodSync(dir, 0o755)
    const path = join(dir, 'ttyFAKE')
    writeFileSync(path, '')
    chmodSync(path, 0o600)
    const script = `import('./src-engine/link/serial-link.ts').then((m) => (m.openSerialLink ?? m.default.openSerialLink)({ path: ${JSON.stringify(path)} })).then(() => console.log('opened'), (e) => console.log(e.message))`
    const asNobody = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--'] : []
    const r = spawnSync(asNobody[0] ?? process.execPath, [...asNobody.slice(1), ...(asNobody.length ? [process.execPath] : []), '--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' })
    expect(r.stdout).toContain('permission denied')
    expect(r.stdout).toContain('dialout')
  })
})
