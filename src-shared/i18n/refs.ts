/** Where each failure's fix is explained in the reference procedure (docs/reference/K230_4G_EC200A_porting.md). */

/** The reference procedure's path in the repository. */
export const REFERENCE_DOC = 'docs/reference/K230_4G_EC200A_porting.md'

/** Sections of the reference procedure: the number shown and the heading's anchor. */
export const REFERENCE_SECTIONS = {
  '1.1': { number: '1.1', anchor: '11-hardware-information-seen-in-dmesg' },
  '1.2': { number: '1.2', anchor: '12-lsusb' },
  '2.1.1': { number: '2.1.1', anchor: '211-add-the-following-configurations-to-the-linux-kernel-for-modification-methods-please-refer-to-this-link' },
  '2.1.2': { number: '2.1.2', anchor: '212-add-vid-and-pid-to-the-option-driver' },
  '2.2': { number: '2.2', anchor: '22-rndisecm-driver-modification' },
  '3.1': { number: '3.1', anchor: '31-adding-pppd-program' },
  '3.2': { number: '3.2', anchor: '32-adding-ppp-configuration-files' },
  't3.1': { number: '3.1', anchor: '31-confirm-whether-the-driver-is-loaded-correctly' },
  't3.2': { number: '3.2', anchor: '32-testing-at-functionality' },
  '3.3.1': { number: '3.3.1', anchor: '331-set-module-working-mode' },
  '3.3.2': { number: '3.3.2', anchor: '332-dial-up' },
  '3.3.3': { number: '3.3.3', anchor: '333-obtain-ip-address' },
  '3.3.4': { number: '3.3.4', anchor: '334-network-testing' },
  '3.4.1': { number: '3.4.1', anchor: '341-dial-up' },
  '3.4.2': { number: '3.4.2', anchor: '342-testing' },
} as const

/** A section id of the reference procedure. */
export type ReferenceSection = keyof typeof REFERENCE_SECTIONS

/** The section that explains each remediation code. */
export const REMEDY_SECTION: Record<string, ReferenceSection> = {
  'console-timeout': 't3.1',
  'console-unreachable': 't3.1',
  'line-noise': 't3.1',
  'board-rebooted': '1.1',
  'kernel-panic': '1.1',
  'link-lost': 't3.1',
  'station-error': 't3.1',
  'module-not-detected': '1.2',
  'option-vidpid-missing': '2.1.2',
  'kernel-option-driver-missing': '2.1.1',
  'kernel-usbnet-missing': '2.2',
  'kernel-ecm-missing': '2.2',
  'kernel-rndis-missing': '2.2',
  'kernel-ppp-missing': '2.1.1',
  'kernel-config-incomplete': '2.1.1',
  'pppd-missing': '3.1',
  'modem-not-answering': 't3.2',
  'sim-missing': 't3.2',
  'sim-not-ready': 't3.2',
  'no-signal': 't3.2',
  'weak-signal': 't3.2',
  'registration-denied': 't3.2',
  'not-registered': 't3.2',
  'rootfs-readonly': '3.2',
  'ppp-files-not-written': '3.2',
  'module-stuck-after-reset': '3.3.1',
  'usbnet-not-applied': '3.3.1',
  'dial-rejected': '3.3.2',
  'dhcp-no-lease': '3.3.3',
  'dns-failure': '3.3.4',
  'no-data': '3.3.4',
  'high-loss': '3.3.4',
  'high-latency': '3.3.4',
  'ppp-no-carrier': '3.4.1',
  'ppp-auth-failed': '3.4.1',
  'ppp-no-address': '3.4.2',
  'restore-failed': '3.3.1',
  'measurement-out-of-limits': 't3.1',
  'flash-failed': 't3.1',
}

/** The repository link to a section, e.g. `docs/reference/K230_4G_EC200A_porting.md#212-add-vid-and-pid-to-the-option-driver`. */
export function referenceHref(section: ReferenceSection): string {
  return `${REFERENCE_DOC}#${REFERENCE_SECTIONS[section].anchor}`
}
