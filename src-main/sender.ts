/** Who may talk to the main side: only our own renderer page, in the top frame. Pure, no Electron import. */

/** Where our renderer is loaded from: the dev server origin (development) or the built index.html (file://). */
export interface RendererOrigin {
  devUrl?: string
  /** Absolute `file://` URL of out/renderer/index.html. */
  fileUrl: string
}

/** The parts of an IPC sender frame we check (Electron's WebFrameMain). */
export interface SenderFrame {
  url: string
  parent: unknown
}

/** True only for the main frame of our renderer page; iframes, other pages and unknown origins are refused. */
export function isTrustedSender(frame: SenderFrame | null | undefined, origin: RendererOrigin): boolean {
  if (!frame || frame.parent !== null) return false
  let url: URL
  try {
    url = new URL(frame.url)
  } catch {
    return false
  }
  if (origin.devUrl) {
    const dev = new URL(origin.devUrl)
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === dev.origin) return true
  }
  if (url.protocol !== 'file:') return false
  const expected = new URL(origin.fileUrl)
  return url.pathname === expected.pathname
}

/** True for http(s) URLs only: the only links the app hands to the OS browser. */
export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

/** True when a navigation stays on our renderer page (anything else is blocked). */
export function isAllowedNavigation(raw: string, origin: RendererOrigin): boolean {
  return isTrustedSender({ url: raw, parent: null }, origin)
}
