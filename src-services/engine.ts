/** Loads the engine and board modules the services wrap; a missing module becomes a clear NotAvailableError. */
import { NotAvailableError } from './errors'

const cache = new Map<string, Promise<Record<string, unknown>>>()

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: string })?.code
  const message = error instanceof Error ? error.message : ''
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find module|Failed to load url|Could not resolve/.test(message)
}

/** Imports `specifier` (an engine or board module) once; throws NotAvailableError naming `what` when it does not exist. */
export async function engineModule(specifier: string, what: string): Promise<Record<string, unknown>> {
  let p = cache.get(specifier)
  if (!p) {
    p = import(/* @vite-ignore */ specifier) as Promise<Record<string, unknown>>
    cache.set(specifier, p)
    p.catch(() => cache.delete(specifier))
  }
  try {
    return await p
  } catch (error) {
    if (isMissingModule(error)) throw new NotAvailableError(what, specifier)
    throw error
  }
}

/** Picks a named export that must be a function; NotAvailableError when the module lacks it. */
export async function engineFunction<F extends (...args: never[]) => unknown>(specifier: string, name: string, what: string): Promise<F> {
  const mod = await engineModule(specifier, what)
  const f = mod[name]
  if (typeof f !== 'function') throw new NotAvailableError(what, `${specifier} has no ${name}()`)
  return f as F
}
