import { describe, expect, it } from 'vitest'
import { connectionFailure } from '@engine/db/index'
import { lineServerUrl, outboxEntry } from '../../src-services/line-sync'
import type { OutboxItem } from '@engine/db/index'

const item = (over: Partial<OutboxItem>): OutboxItem => ({ runId: 'r1', state: 'waiting', attempts: 0, queuedAt: '2026-12-03T10:00:00.000Z', nextTryAt: '2026-12-03T10:00:00.000Z', ...over })

describe('line sync: why a record waits, in codes', () => {
  it('a waiting record says whether no server is set, it was not tried yet, or the server could not be reached (and how)', () => {
    expect(outboxEntry(item({}), false)).toMatchObject({ state: 'waiting', reason: 'not-configured' })
    expect(outboxEntry(item({}), true, 'SN1')).toMatchObject({ reason: 'pending', serial: 'SN1' })
    expect(outboxEntry(item({ attempts: 2, lastError: 'line server postgres://k230:***@127.0.0.1:5/x: connect ECONNREFUSED 127.0.0.1:5' }), true)).toMatchObject({ reason: 'unreachable', code: 'ECONNREFUSED', attempts: 2 })
    expect(outboxEntry(item({ lastError: 'line server x: password authentication failed for user "k230"' }), true)).toMatchObject({ reason: 'unreachable', code: 'auth-failed' })
    expect(outboxEntry(item({ lastError: 'line server x: timeout expired' }), true)).toMatchObject({ reason: 'unreachable', code: 'timeout' })
  })

  it('a refused record carries the refusal code the line server gave', () => {
    expect(outboxEntry(item({ state: 'refused', lastError: 'refused by the line server: bad-signature: the signature does not match' }), true)).toMatchObject({ state: 'refused', reason: 'refused', code: 'bad-signature' })
    expect(outboxEntry(item({ state: 'refused', lastError: 'refused by the line server: signed by station A but names station B' }), true)).toMatchObject({ code: 'station-mismatch' })
    expect(outboxEntry(item({ state: 'refused', lastError: 'refused by the line server: Something else' }), false)).toMatchObject({ reason: 'refused', code: 'other' })
  })

  it('the connection URL escapes user, password and database, and brackets an IPv6 host', () => {
    expect(lineServerUrl({ host: 'db.line', port: 5433, database: 'line 1', user: 'st@1' }, 'p:w/@#')).toBe('postgres://st%401:p%3Aw%2F%40%23@db.line:5433/line%201')
    expect(lineServerUrl({ host: '::1', port: 5432, database: 'line', user: 'u' }, undefined)).toBe('postgres://u@[::1]:5432/line')
    expect(new URL(lineServerUrl({ host: '::1', port: 5432, database: 'line', user: 'u' }, 'pw')).password).toBe('pw')
  })

  it('a connection failure is named by its socket code, a refused login or a timeout', () => {
    expect(connectionFailure('line server postgres://k230:***@h:5/x: getaddrinfo ENOTFOUND h')).toBe('ENOTFOUND')
    expect(connectionFailure('line server x: Connection terminated due to connection timeout')).toBe('timeout')
    expect(connectionFailure('line server x: no pg_hba.conf entry for host "10.0.0.2"')).toBe('auth-failed')
    expect(connectionFailure('line server x: relation "run" does not exist')).toBeUndefined()
  })
})
