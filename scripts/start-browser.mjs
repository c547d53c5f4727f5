// Pure helpers of `npm start`'s browser-host fallback: find the host's address in its output and pick the OS's opener (the host words the messages, from the catalogue).

/** The browser host's address (with its per-launch key) once its whole line is printed, in any language, else null (output can arrive mid-line). */
export function hostUrlIn(text) {
  const m = /(http:\/\/127\.0\.0\.1:\d+\/(?:\?k=[A-Za-z0-9_-]+)?)\r?\n/.exec(text)
  return m ? m[1] : null
}

/** The command that opens a URL in the default browser here, or null when there is no desktop to open it on. */
export function browserOpener(platform, env) {
  if (platform === 'win32') return { cmd: 'explorer.exe', args: [] }
  if (platform === 'darwin') return { cmd: 'open', args: [] }
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { cmd: 'xdg-open', args: [] }
  return null
}

