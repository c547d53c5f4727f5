/** OS errors said through the catalogues: real errors from node:fs and node:net, each naming its file or address, in English and Chinese. */
import { readFileSync } from 'node:fs'
import { createServer, connect, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { osErrorMessage, OS_ERROR_CODES } from '@shared/os-error'
import { keyedText } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'
import { toWireError } from '../../src-services/errors'

const en = translator('en')
const zh = translator('zh-CN')
const thrown = (work: () => unknown): unknown => {
  try {
    work()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

async function refusedConnection(): Promise<unknown> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return new Promise((resolve) => connect(port, '127.0.0.1').on('error', resolve))
}

describe('operating-system errors in the technician’s language', () => {
  it('a missing file names the file; a refused connection names the address', async () => {
    const missing = join(tmpdir(), 'k230-no-such-file.json')
    const enoent = osErrorMessage(thrown(() => readFileSync(missing)))
    expect(enoent).toMatchObject({ key: 'osError.ENOENT', params: { code: 'ENOENT', target: missing } })
    expect(keyedText(en, enoent!)).toBe(`${missing}: no such file or folder`)
    expect(keyedText(zh, enoent!)).toBe(`${missing}：文件或文件夹不存在`)
    const refused = osErrorMessage(await refusedConnection())
    expect(refused?.key).toBe('osError.ECONNREFUSED')
    expect(keyedText(zh, refused!)).toMatch(/^127\.0\.0\.1:\d+：连接被拒绝/)
  })

  it('an error without a file is said about what the caller names; an unknown code keeps the system text; other errors are not OS errors', () => {
    expect(osErrorMessage(Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR', syscall: 'read' }), '/x/b.zip')?.params.target).toBe('/x/b.zip')
    const odd = osErrorMessage(Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE', syscall: 'write' }))
    expect(odd?.key).toBe('osError.other')
    expect(keyedText(zh, odd!)).toBe('EPIPE: broken pipe, write')
    expect(osErrorMessage(new Error('plain'))).toBeNull()
    expect(osErrorMessage(Object.assign(new Error('x'), { code: 'bad-payload' }))).toBeNull()
    expect(osErrorMessage('ENOENT')).toBeNull()
  })

  it('every worded code has its text in both languages, and a thrown OS error crosses IPC with its key', () => {
    for (const code of OS_ERROR_CODES) {
      expect(en(`osError.${code}`, { target: 'T' })).toMatch(/^T: /)
      expect(zh(`osError.${code}`, { target: 'T' })).toMatch(/^T：[\u4e00-\u9fff]/)
    }
    const wire = toWireError(thrown(() => readFileSync(join(tmpdir(), 'k230-missing-2'))))
    expect(wire).toMatchObject({ code: 'ENOENT', key: 'osError.ENOENT' })
    expect(wire.message).toMatch(/^ENOENT: no such file or directory/)
  })
})
