import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { translator } from '../../src-shared/i18n/translate'
import { keyedText } from '../../src-shared/i18n/render'
import { createServices, type Services } from '../../src-services/index'
import { toWireError } from '../../src-services/errors'
import { dispatch } from '../../src-services/dispatch'
import { englishPieces } from './helpers/english-pieces'

const ENGLISH = englishPieces(/^(serviceError|cli\.keys\.error|profileError)\./, ['is locked', 'No console is open', 'Not a URL', 'There is no run'])
const zh = translator('zh-CN')

async function refusal(work: () => Promise<unknown>): Promise<ReturnType<typeof toWireError>> {
  const outcome = await work().then(
    () => null,
    (error: unknown) => error,
  )
  expect(outcome, 'the call was expected to be refused').not.toBeNull()
  return toWireError(outcome)
}

function expectChinese(wire: ReturnType<typeof toWireError>, code: string, chinese: RegExp): void {
  expect(wire.code).toBe(code)
  expect(wire.key, `${code}: ${wire.message}`).toBeTruthy()
  const text = keyedText(zh, { key: wire.key ?? '', params: wire.params }, wire.message)
  expect(text).toMatch(chinese)
  expect(ENGLISH.filter((piece) => text.includes(piece)), `${code}:\n${text}`).toEqual([])
  expect(wire.message, 'the English for logs is kept').toMatch(/^[^\u4e00-\u9fff]*[A-Za-z]{3,} [A-Za-z]{1,}[^\u4e00-\u9fff]*$/)
}

describe('every service refusal is said by a catalogue key', () => {
  it('no ServiceError in src-services is built from an English sentence alone', () => {
    const dir = join(__dirname, '../../src-services')
    const raw = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'errors.ts')
      .flatMap((f) =>
        readFileSync(join(dir, f), 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
          .filter(({ line }) => /new (ServiceError|NotAvailableError)\(/.test(line)),
      )
      .map(({ where, line }) => `${where}: ${line.trim()}`)
    expect(raw).toEqual([])
  })
})

describe('the services refuse in the technician’s language', () => {
  let dir: string
  let s: Services
  const call = <C extends keyof Services['handlers']>(channel: C, payload: Parameters<Services['handlers'][C]>[0]) => (s.handlers[channel] as (p: unknown) => Promise<unknown>)(payload)

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'k230-zh-service-errors-'))
    s = createServices({ dataDir: dir, resultsDir: join(dir, 'results'), simTimeScale: 0.01, appVersion: 'test', host: 'browser' })
  })
  afterAll(async () => s?.dispose())

  it('a technician’s refusals: no console, no run, no operator, locked settings, bad links and paths, no line server', async () => {
    expectChinese(await refusal(() => call('console:write', { data: 'ls\r' })), 'not-connected', /没有打开的控制台/)
    expectChinese(await refusal(() => call('console:break', undefined)), 'not-connected', /没有打开的控制台/)
    expectChinese(await refusal(() => call('run:rerun', { steps: 'failed' })), 'no-run', /没有可重跑的运行/)
    expectChinese(await refusal(() => call('run:start', { serial: 'K230-0001' })), 'operator-required', /工号/)
    expectChinese(await refusal(() => call('profiles:save', { name: 'x', text: 'apn: CMNET\n' })), 'locked', /编辑配置文件.*无权修改/)
    expectChinese(await refusal(() => call('settings:set', { profile: 'other' })), 'locked', /profile.*无权修改/)
    expectChinese(await refusal(() => call('station:setLayout', { version: 1, locked: false, slots: [{ name: 'A', port: 'virtual:healthy' }] })), 'locked', /工位布局.*无权修改/)
    expectChinese(await refusal(() => call('line:set', { host: 'db' })), 'locked', /产线服务器.*无权修改/)
    expectChinese(await refusal(() => call('shell:openExternal', { url: 'not a url' })), 'bad-url', /不是网址：not a url/)
    expectChinese(await refusal(() => call('shell:openExternal', { url: 'file:///etc/passwd' })), 'bad-url', /file:/)
    expectChinese(await refusal(() => call('shell:showItemInFolder', { path: '/etc/passwd' })), 'bad-path', /\/etc\/passwd/)
    expectChinese(await refusal(() => call('line:test', undefined)), 'line-not-configured', /产线服务器/)
    expectChinese(await refusal(() => call('profiles:load', { name: 'nope' })), 'not-found', /nope/)
    expectChinese(await refusal(() => call('reports:html', { id: 'nope', lang: 'zh-CN' })), 'not-found', /nope/)
    expectChinese(await refusal(() => call('reports:openBundle', { path: join(dir, 'missing.zip') })), 'not-found', /missing\.zip/)
    expectChinese(await refusal(() => call('access:unlock', { password: 'guess' })), 'no-password', /工程师密码/)
  })

  it('an engineer’s refusals: wrong password, bad keys, a bad bundle, a bad line URL', async () => {
    await call('access:setPassword', { password: 'correct horse' })
    expectChinese(await refusal(() => call('access:unlock', { password: 'wrong' })), 'wrong-password', /密码错误/)
    await call('access:unlock', { password: 'correct horse' })
    expectChinese(await refusal(() => call('keys:import', { text: 'not json' })), 'key-bad-export', /不是导出的/)
    expectChinese(await refusal(() => call('keys:remove', { keyId: '0123456789abcdef' })), 'key-not-found', /0123456789abcdef/)
    writeFileSync(join(dir, 'bundle.zip'), 'not a zip at all')
    expectChinese(await refusal(() => call('reports:openBundle', { path: join(dir, 'bundle.zip') })), 'bad-bundle', /售后包/)
    expectChinese(await refusal(() => call('line:set', { url: 'mysql://db/line' })), 'line-bad-url', /postgres:\/\//)
    expectChinese(await refusal(() => call('station:setLayout', { version: 1, locked: false, slots: [{ name: 'A', port: 'COM3' }, { name: 'A', scenario: 'healthy' }] })), 'bad-layout', /^工位布局无效：layout\.slots\[0\]\.port：COM 编号在重新插拔后会变化.*（另有 1 处问题）$/)
  })

  it('an operating-system error inside a refusal is said in Chinese too: a port that does not exist, a bundle that is a folder', async () => {
    const port = await refusal(() => call('console:open', { kind: 'port', path: join(dir, 'ttyNOPE'), baud: 115200 }))
    expectChinese(port, 'connect-failed', /^无法打开 .*ttyNOPE：没有这个串口。USB 转串口线插好了吗？/)
    mkdirSync(join(dir, 'a-folder.zip'))
    const bundle = await refusal(() => call('reports:openBundle', { path: join(dir, 'a-folder.zip') }))
    expectChinese(bundle, 'bad-bundle', /无法打开该 zip 文件（.*a-folder\.zip：这是文件夹，不是文件）/)
    for (const wire of [port, bundle]) expect(keyedText(zh, { key: wire.key ?? '', params: wire.params }, wire.message)).not.toMatch(/illegal operation|no such port|EISDIR/)
  })

  it('a request the IPC check refuses (an unknown channel, a bad payload of each kind, a layout with a COM number) is said in Chinese, the field kept', async () => {
    const wire = async (channel: unknown, payload: unknown) => {
      const reply = await dispatch(s.handlers, channel, payload)
      expect(reply.ok).toBe(false)
      return (reply as { ok: false; error: ReturnType<typeof toWireError> }).error
    }
    expectChinese(await wire('fs:read', { path: '/etc/passwd' }), 'unknown-channel', /^未知的通道 "fs:read"$/)
    expectChinese(await wire('console:write', { data: 42 }), 'bad-payload', /^工位拒绝了界面发来的请求：console:write\.data：应为文本，实际为数字$/)
    expectChinese(await wire('run:abort', { now: true }), 'bad-payload', /^工位拒绝了界面发来的请求：run:abort\.now：不认识的字段$/)
    expectChinese(await wire('console:open', { kind: 'tcp' }), 'bad-payload', /^工位拒绝了界面发来的请求：console:open\.kind：应为以下之一："port", "sim"$/)
    expectChinese(await wire('station:setLayout', { version: 1, locked: false, slots: [{ name: 'A', port: 'COM3' }] }), 'bad-payload', /^工位布局无效：station:setLayout\.slots\[0\]\.port：COM 编号/)
  })
})
