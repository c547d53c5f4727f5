// Pure helpers of `npm start`'s browser-host fallback: find the host's address in its output, pick the OS's opener, word the message.

/** The browser host's address (with its per-launch key) once its whole line is printed, else null (output can arrive mid-line). */
export function hostUrlIn(text) {
  const m = /browser host: (http:\/\/127\.0\.0\.1:\d+\/(?:\?k=[A-Za-z0-9_-]+)?)\r?\n/.exec(text)
  return m ? m[1] : null
}

/** The command that opens a URL in the default browser here, or null when there is no desktop to open it on. */
export function browserOpener(platform, env) {
  if (platform === 'win32') return { cmd: 'explorer.exe', args: [] }
  if (platform === 'darwin') return { cmd: 'open', args: [] }
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { cmd: 'xdg-open', args: [] }
  return null
}

/** The plain sentence printed whatever happens, so the address is never lost in the log. */
export function openInBrowserMessage(url) {
  return `\nOpen this address in your browser: ${url}\n(the app runs there; press Ctrl+C here to stop it)\n`
}
