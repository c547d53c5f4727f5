/** English text of console link failures (`linkError.*`, from src-engine/link). */
export default {
  open: {
    heldByAnother: 'Cannot open {path}: access denied. Another program (a terminal such as PuTTY or another copy of this app) has the port open; close it and try again.',
    permission:
      'Cannot open {path}: permission denied. Your user may not use serial ports: add it to the dialout group (`sudo usermod -aG dialout $USER`, then log out and back in), or install the udev rule 60-k230-bringup.rules (the deb package installs it).',
    busy: 'Cannot open {path}: the port is in use by another program (a terminal, ModemManager or another copy of this app). Close it and try again.',
    noSuchPort: 'Cannot open {path}: no such port. Is the USB-serial adapter plugged in? Pick the port again from the list.',
    other: 'Cannot open serial port {path}: {detail}',
  },
}
