import { gzipSync } from 'node:zlib'
import type { BoardState } from '../types'

/** The kernel .config text the board was built with: the reference document's CONFIG_ lines set or not according to state. */
export function kernelConfigText(state: BoardState): string {
  const has = (driver: string): boolean => state.drivers.has(driver)
  const line = (name: string, on: boolean): string => (on ? `${name}=y` : `# ${name} is not set`)
  const lines = [
    '#',
    '# Automatically generated file; DO NOT EDIT.',
    `# Linux/riscv ${state.kernelVersion} Kernel Configuration`,
    '#',
    'CONFIG_RISCV=y',
    'CONFIG_64BIT=y',
    'CONFIG_NET=y',
    'CONFIG_INET=y',
    'CONFIG_USB_SUPPORT=y',
    'CONFIG_USB=y',
    'CONFIG_USB_DWC2=y',
    'CONFIG_DEBUG_FS=y',
    'CONFIG_IKCONFIG=y',
    'CONFIG_IKCONFIG_PROC=y',
    line('CONFIG_PPP', state.kernelPpp),
  ]
  if (state.kernelPpp) {
    lines.push(
      'CONFIG_PPP_BSDCOMP=y',
      'CONFIG_PPP_DEFLATE=y',
      'CONFIG_PPP_FILTER=y',
      'CONFIG_PPP_MPPE=y',
      'CONFIG_PPP_MULTILINK=y',
      'CONFIG_PPPOE=y',
      'CONFIG_PPP_ASYNC=y',
      'CONFIG_PPP_SYNC_TTY=y',
    )
  }
  const usbnet = has('cdc_ether') || has('rndis_host') || has('cdc_ncm')
  lines.push(
    line('CONFIG_USB_NET_DRIVERS', usbnet),
    line('CONFIG_USB_USBNET', usbnet),
    line('CONFIG_USB_NET_CDCETHER', has('cdc_ether')),
    line('CONFIG_USB_NET_CDC_NCM', has('cdc_ncm')),
    line('CONFIG_USB_NET_RNDIS_HOST', has('rndis_host')),
    line('CONFIG_USB_NET_QMI_WWAN', has('qmi_wwan')),
    line('CONFIG_USB_SERIAL', has('option')),
    line('CONFIG_USB_SERIAL_WWAN', has('option')),
    line('CONFIG_USB_SERIAL_OPTION', has('option')),
  )
  return lines.join('\n') + '\n'
}

/** /proc/config.gz content (gzip of `kernelConfigText`), or null when the kernel lacks IKCONFIG_PROC. */
export function procConfigGz(state: BoardState): Uint8Array | null {
  return state.procConfig ? new Uint8Array(gzipSync(kernelConfigText(state))) : null
}
