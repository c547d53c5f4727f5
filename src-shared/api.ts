/** The domain API the renderer sees as `window.api`, built over any transport (Electron IPC or the browser host's WebSocket). */
import type { EventChannel, EventPayloads, InvokeChannel, InvokeRequest, InvokeResults, Reply } from './ipc'

/** What a host must provide: one call and one subscription primitive, both already allowlisted. */
export interface ApiTransport {
  invoke(channel: InvokeChannel, payload: unknown): Promise<Reply<unknown>>
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void
}

/** An error raised in the main side, with its code preserved. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly key?: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Builds the domain API; every method maps to exactly one allowlisted channel. */
export function createDomainApi(transport: ApiTransport) {
  async function call<C extends InvokeChannel>(channel: C, payload?: InvokeRequest<C>): Promise<InvokeResults[C]> {
    const reply = await transport.invoke(channel, payload)
    if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message, reply.error.key, reply.error.params)
    return reply.value as InvokeResults[C]
  }
  function on<E extends EventChannel>(channel: E) {
    return (listener: (payload: EventPayloads[E]) => void): (() => void) => transport.subscribe(channel, (p) => listener(p as EventPayloads[E]))
  }
  return {
    app: { info: () => call('app:info') },
    ports: { list: () => call('ports:list'), onChanged: on('ports:changed') },
    sim: { scenarios: () => call('sim:scenarios') },
    console: {
      open: (target: InvokeRequest<'console:open'>) => call('console:open', target),
      close: (slot?: number) => call('console:close', { slot }),
      write: (data: string, slot?: number) => call('console:write', { data, slot }),
      state: (slot?: number) => call('console:state', { slot }),
      transcript: (slot?: number) => call('console:transcript', { slot }),
      sendBreak: (slot?: number) => call('console:break', { slot }),
      log: (on: boolean, slot?: number) => call('console:log', { on, slot }),
      onData: on('console:data'),
      onState: on('console:state'),
    },
    run: {
      start: (serial: string, modes?: InvokeRequest<'run:start'>['modes'], steps?: string[], slot?: number) => call('run:start', { serial, modes, steps, slot }),
      rerun: (steps: 'failed' | string[], slot?: number) => call('run:rerun', { steps, slot }),
      abort: (slot?: number) => call('run:abort', { slot }),
      snapshot: (slot?: number) => call('run:snapshot', { slot }),
      onUpdate: on('run:update'),
    },
    at: { send: (command: string, slot?: number) => call('at:send', { command, slot }), leave: (slot?: number) => call('at:leave', { slot }) },
    station: {
      layout: () => call('station:layout'),
      setLayout: (layout: InvokeRequest<'station:setLayout'>) => call('station:setLayout', layout),
      slots: () => call('station:slots'),
      onSlots: on('station:slots'),
    },
    reports: {
      list: (query?: string, includeSimulated?: boolean) => call('reports:list', { query, includeSimulated }),
      html: (id: string, lang: 'en' | 'zh-CN') => call('reports:html', { id, lang }),
      export: (id: string, format: InvokeRequest<'reports:export'>['format'], lang: 'en' | 'zh-CN') => call('reports:export', { id, format, lang }),
      yield: (includeSimulated?: boolean) => call('reports:yield', { includeSimulated }),
      openBundle: (path: string) => call('reports:openBundle', { path }),
    },
    keys: {
      list: () => call('keys:list'),
      exportPublic: () => call('keys:export'),
      importTrusted: (text: string) => call('keys:import', { text }),
      remove: (keyId: string) => call('keys:remove', { keyId }),
    },
    profiles: {
      list: () => call('profiles:list'),
      load: (name: string) => call('profiles:load', { name }),
      validate: (text: string) => call('profiles:validate', { text }),
      save: (name: string, text: string) => call('profiles:save', { name, text }),
      sdkOverlay: (name: string) => call('profiles:sdkOverlay', { name }),
    },
    settings: {
      get: () => call('settings:get'),
      set: (patch: InvokeRequest<'settings:set'>) => call('settings:set', patch),
      onChanged: on('settings:changed'),
    },
    flash: {
      devices: () => call('flash:devices'),
      inspect: (path: string) => call('flash:inspect', { path }),
      sample: () => call('flash:sample'),
      upload: (name: string, offset: number, data: string, last: boolean) => call('flash:upload', { name, offset, data, last }),
      start: (request: InvokeRequest<'flash:start'>) => call('flash:start', request),
      onDevices: on('flash:devices'),
      onProgress: on('flash:progress'),
    },
    shell: { openExternal: (url: string) => call('shell:openExternal', { url }), showItemInFolder: (path: string) => call('shell:showItemInFolder', { path }) },
    dialog: { pick: (kind: InvokeRequest<'dialog:pick'>['kind']) => call('dialog:pick', { kind }) },
    access: {
      state: () => call('access:state'),
      unlock: (password: string) => call('access:unlock', { password }),
      setPassword: (password: string, current?: string) => call('access:setPassword', { password, current }),
      useRole: (role: 'technician' | 'support') => call('access:role', { role }),
      audit: () => call('access:audit'),
      onChanged: on('access:changed'),
    },
    line: {
      get: () => call('line:get'),
      set: (patch: InvokeRequest<'line:set'>) => call('line:set', patch),
      test: () => call('line:test'),
      dashboard: () => call('line:dashboard'),
    },
    outbox: { list: () => call('outbox:list'), send: () => call('outbox:send'), onChanged: on('outbox:changed') },
    support: {
      lookup: (key: string) => call('support:lookup', { key }),
      record: (id: string) => call('support:record', { id }),
      notes: (key: string, text?: string) => call('support:notes', { key, text }),
      bundle: (key: string, notes: string, ids: string[]) => call('support:bundle', { key, notes, ids }),
    },
  }
}

/** The type of `window.api`. */
export type DomainApi = ReturnType<typeof createDomainApi>
