/** The remediation table: for each failure code, the cause and the fix in the technician's words. */
import type { Remediation } from '@shared/record'

const TABLE = {
  'console-timeout': {
    cause: 'The board stopped answering on the console in time.',
    fix: 'Check the USB-serial cable and the port, and that the console runs at 115200 8N1; make sure the board is powered, then rerun the step.',
  },
  'console-unreachable': {
    cause: 'No usable shell prompt on the console: the board is silent or the line garbles what it carries.',
    fix: 'Check the USB-serial cable is on the board\'s console header (GND, TX, RX) with its ground wire, the port and the baud rate (115200 8N1); use a short cable without a hub; power the board and rerun.',
  },
  'line-noise': {
    cause: 'The console line drops or garbles characters.',
    fix: 'Check the console cable, its ground wire and the baud rate (115200); use a short cable without a hub, then rerun.',
  },
  'board-rebooted': {
    cause: 'The board rebooted by itself during the step.',
    fix: 'Check the power supply (5 V with enough current for the 4G module\'s peaks) and the power cable, then rerun the failed steps.',
  },
  'kernel-panic': {
    cause: 'The kernel crashed (Oops/panic) during the step.',
    fix: 'Save the record for the software team, power-cycle the board and rerun; if it repeats, the kernel image is faulty.',
  },
  'link-lost': {
    cause: 'The USB-serial console disappeared from the PC.',
    fix: 'Replug the console cable (directly, no hub), then rerun the failed steps.',
  },
  'station-error': {
    cause: 'The station could not complete the step.',
    fix: 'Rerun the step; if it repeats, save the record and report it to the station owner.',
  },
  'module-not-detected': {
    cause: 'The EC200A module (USB 2c7c:6005) does not show up on the board\'s USB bus.',
    fix: 'Check the module is seated and powered and the USB lines between the K230 and the module; power-cycle the board. If dmesg never shows idVendor=2c7c, idProduct=6005, it is a hardware fault.',
  },
  'option-vidpid-missing': {
    cause: 'The option USB-serial driver does not know the EC200A (2c7c:6005): interfaces 2-4 have no driver and /dev/ttyUSB2 is missing.',
    fix: 'Add { USB_DEVICE_AND_INTERFACE_INFO(0x2c7c, 0x6005, 0xff, 0, 0) }, to option_ids[] in src/little/linux/drivers/usb/serial/option.c (reference 2.1.2) and rebuild the kernel. To test now without rebuilding: echo 2c7c 6005 > /sys/bus/usb-serial/drivers/option1/new_id',
  },
  'kernel-option-driver-missing': {
    cause: 'The kernel has no option USB-serial driver, so the module gets no /dev/ttyUSB nodes.',
    fix: 'Enable CONFIG_USB_SERIAL and CONFIG_USB_SERIAL_OPTION in the Linux kernel configuration (reference 2.1.1) and rebuild.',
  },
  'kernel-usbnet-missing': {
    cause: 'The kernel lacks USB network drivers the module needs.',
    fix: 'Enable CONFIG_USB_NET_DRIVERS, CONFIG_USB_USBNET, CONFIG_USB_NET_CDCETHER, CONFIG_USB_NET_RNDIS_HOST and CONFIG_USB_NET_CDC_NCM in the Linux kernel configuration (reference 2.2) and rebuild.',
  },
  'kernel-ecm-missing': {
    cause: 'The kernel has no cdc_ether driver: in ECM mode the module gets no usb0.',
    fix: 'Enable CONFIG_USB_NET_DRIVERS, CONFIG_USB_USBNET and CONFIG_USB_NET_CDCETHER in the Linux kernel configuration (reference 2.2) and rebuild.',
  },
  'kernel-rndis-missing': {
    cause: 'The kernel has no rndis_host driver: in RNDIS mode the module gets no usb0.',
    fix: 'Enable CONFIG_USB_NET_RNDIS_HOST (with CONFIG_USB_USBNET) in the Linux kernel configuration (reference 2.2) and rebuild, or use ECM mode (AT+QCFG="usbnet",1).',
  },
  'kernel-ppp-missing': {
    cause: 'The kernel has no PPP support, so pppd cannot create ppp0.',
    fix: 'Enable CONFIG_PPP=y, CONFIG_PPP_BSDCOMP=y, CONFIG_PPP_DEFLATE=y, CONFIG_PPP_FILTER=y, CONFIG_PPP_MPPE=y, CONFIG_PPP_MULTILINK=y, CONFIG_PPPOE=y, CONFIG_PPP_ASYNC=y and CONFIG_PPP_SYNC_TTY=y (reference 2.1.1) and rebuild the kernel.',
  },
  'kernel-config-incomplete': {
    cause: 'Kernel options of the reference document are missing from /proc/config.gz.',
    fix: 'Enable the options listed in the measurements (reference 2.1.1 and 2.2) in the Linux kernel configuration and rebuild.',
  },
  'pppd-missing': {
    cause: 'pppd or chat is not on the root filesystem.',
    fix: 'Add BR2_PACKAGE_PPPD, BR2_PACKAGE_PPPD_FILTER and BR2_PACKAGE_PPPD_RADIUS with make buildroot-menuconfig, save with make buildroot-savedefconfig and rebuild the image (reference 3.1).',
  },
  'modem-not-answering': {
    cause: 'The module does not answer AT commands on its AT port.',
    fix: 'Check the profile\'s device (default /dev/ttyUSB2), power-cycle the module and rerun; if it still stays silent, the module is faulty.',
  },
  'sim-missing': {
    cause: 'No SIM card detected (+CME ERROR: 10).',
    fix: 'Insert a SIM card (contacts down, fully in its holder) or reseat it, then power-cycle the module and rerun.',
  },
  'sim-not-ready': {
    cause: 'The SIM is not ready (it asks for a PIN/PUK or is faulty).',
    fix: 'Use a SIM without a PIN lock, or try another SIM card.',
  },
  'no-signal': {
    cause: 'No radio signal at all (+CSQ: 99,99).',
    fix: 'Check the antenna: connected to the module\'s main antenna connector, cable and connector undamaged; check there is coverage at the station.',
  },
  'weak-signal': {
    cause: 'The radio signal is weaker than the limit.',
    fix: 'Check the antenna and its cable and connector; move the antenna or the station where coverage is better, then rerun.',
  },
  'registration-denied': {
    cause: 'The network refuses the SIM (registration denied).',
    fix: 'Check the APN / SIM subscription with the operator: SIM activated, data plan, not barred; or try another SIM.',
  },
  'not-registered': {
    cause: 'The module is not registered on the network.',
    fix: 'Check the antenna and the coverage, and that the SIM\'s operator serves this area; wait a minute and rerun.',
  },
  'rootfs-readonly': {
    cause: 'The root filesystem is read-only: /etc/ppp cannot be written.',
    fix: 'Remount it writable with mount -o remount,rw / and rerun, or put the PPP files into the SDK under board/common/post_copy_rootfs/etc/ppp (reference 3.2) and rebuild the image.',
  },
  'ppp-files-not-written': {
    cause: 'The PPP files on the board do not match what was written.',
    fix: 'Check free space on the root filesystem (df -h) and that /etc/ppp is writable, then rerun the step.',
  },
  'module-stuck-after-reset': {
    cause: 'After AT+CFUN=1,1 the module did not come back on USB.',
    fix: 'Power-cycle the board and the module (remove the power, not only a reset), then rerun; if it repeats, the module needs a firmware check.',
  },
  'usbnet-not-applied': {
    cause: 'The module came back in another USB network mode than the one set with AT+QCFG="usbnet".',
    fix: 'Rerun the mode step; if the mode does not stick, update the module firmware.',
  },
  'dial-rejected': {
    cause: 'The module refused the data call (AT+QNETDEVCTL=3,1,1).',
    fix: 'Check the APN / SIM subscription (data enabled); check the signal and that the SIM is registered.',
  },
  'dhcp-no-lease': {
    cause: 'No DHCP answer on usb0 after dialling.',
    fix: 'Check that the dial (AT+QNETDEVCTL=3,1,1) is up and that the APN / SIM subscription allows data; power-cycle the module and rerun.',
  },
  'dns-failure': {
    cause: 'The DNS servers do not resolve the test host.',
    fix: 'Check /etc/resolv.conf (written by udhcpc or /etc/ppp/ip-up) and ping an IP address to tell DNS from routing; check the APN.',
  },
  'no-data': {
    cause: 'No ping replies over the mobile link.',
    fix: 'Check the APN / SIM subscription (data plan, not exhausted) and the antenna, then rerun the dial.',
  },
  'high-loss': {
    cause: 'Too many packets are lost over the mobile link.',
    fix: 'Check the antenna and its cable; the signal may be marginal here: retry elsewhere or with a better antenna.',
  },
  'high-latency': {
    cause: 'Round trips over the mobile link are slower than the limit.',
    fix: 'Check the antenna and the signal; the cell may be congested: retry later or elsewhere.',
  },
  'ppp-no-carrier': {
    cause: 'The network refused the PPP data call (NO CARRIER / ERROR in the chat dialogue).',
    fix: 'Check the APN / SIM subscription: the profile\'s APN must be the one of the SIM\'s operator (e.g. 3gnet, CMNET).',
  },
  'ppp-auth-failed': {
    cause: 'The network refused the PPP user name or password.',
    fix: 'Check the profile\'s user and password with the SIM\'s operator.',
  },
  'ppp-no-address': {
    cause: 'pppd ran but ppp0 got no IP address.',
    fix: 'Check the kernel PPP options (CONFIG_PPP, CONFIG_PPP_ASYNC...), the modem device in the profile and the pppd log in the evidence.',
  },
  'restore-failed': {
    cause: 'The board could not be left in the profile\'s final mode.',
    fix: 'Rerun the restore step; if the module does not come back, power-cycle the board.',
  },
} as const satisfies Record<string, { cause: string; fix: string }>

/** Every remediation code. */
export type RemediationCode = keyof typeof TABLE

/** All codes with their text, for documentation and tests. */
export const REMEDIATIONS: Readonly<Record<RemediationCode, { cause: string; fix: string }>> = TABLE

/** The remediation for `code`; `detail` is appended to the cause (e.g. the measured value). */
export function remedy(code: RemediationCode, detail?: string): Remediation {
  const entry = TABLE[code]
  return { code, cause: detail ? `${entry.cause} ${detail}` : entry.cause, fix: entry.fix }
}
