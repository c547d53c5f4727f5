#!/bin/sh
# deb post-remove: drop the udev rule installed by after-install.sh.
set -e
rm -f /etc/udev/rules.d/60-k230-bringup.rules
if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules || true; fi
exit 0
