#!/bin/sh
# deb post-install: let members of plugdev/dialout open the console bridges, the EC200A and the K230 in burning mode.
set -e
RULE="/opt/K230 Bring-up/resources/udev/60-k230-bringup.rules"
if [ -f "$RULE" ]; then
  install -m 0644 "$RULE" /etc/udev/rules.d/60-k230-bringup.rules
  if command -v udevadm >/dev/null 2>&1; then
    udevadm control --reload-rules || true
    udevadm trigger --subsystem-match=usb --subsystem-match=tty || true
  fi
fi
exit 0
