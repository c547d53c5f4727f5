import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/** Every outside program some test needs; a test skips itself when one is missing, so CI must have them all. */
const PROGRAMS = ['busybox', 'socat', 'zip', 'gzip', 'tar', 'patch', 'xmllint', 'pdftoppm', 'pdftotext', 'shellcheck', 'fc-list']

function onPath(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0
}

describe('the tools the suite runs against', () => {
  it.runIf(process.env.CI !== undefined && process.env.CI !== '')('are all installed under CI, so a green CI ran every tool-backed test', () => {
    const missing = PROGRAMS.filter((name) => !onPath(name))
    if (!['/usr/sbin/chat', '/usr/bin/chat'].some((p) => existsSync(p))) missing.push('chat (Debian package ppp)')
    if (!['/usr/bin/chromium', process.env.K230_CHROMIUM].some((p) => p && existsSync(p))) missing.push('chromium')
    const cjk = spawnSync('fc-list', [':lang=zh-cn'], { encoding: 'utf8' })
    if (cjk.status !== 0 || !cjk.stdout.trim()) missing.push('a Simplified Chinese font (fonts-noto-cjk)')
    expect(missing, `missing under CI: ${missing.join(', ')} (.ci/run installs them with apt-get)`).toEqual([])
  })
})
