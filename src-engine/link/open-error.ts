/** Turns a serial port's open failure into a message a technician can act on; trusts only the error text. */
export function explainOpenError(path: string, detail: string, platform: NodeJS.Platform = process.platform): string {
  const text = detail.toLowerCase()
  if (/permission denied|eacces|access denied|access is denied/.test(text)) {
    if (platform === 'win32') {
      return `Cannot open ${path}: access denied. Another program (a terminal such as PuTTY or another copy of this app) has the port open; close it and try again.`
    }
    return (
      `Cannot open ${path}: permission denied. Your user may not use serial ports: add it to the dialout group ` +
      '(`sudo usermod -aG dialout $USER`, then log out and back in), or install the udev rule 60-k230-bringup.rules ' +
      '(the deb package installs it).'
    )
  }
  if (/resource busy|ebusy|locked|cannot lock/.test(text)) {
    return `Cannot open ${path}: the port is in use by another program (a terminal, ModemManager or another copy of this app). Close it and try again.`
  }
  if (/no such file|enoent|cannot find|file not found|not exist/.test(text)) {
    return `Cannot open ${path}: no such port. Is the USB-serial adapter plugged in? Pick the port again from the list.`
  }
  return `Cannot open serial port ${path}: ${detail}`
}
