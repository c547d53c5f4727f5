import { REQUIRED_KERNEL_OPTIONS } from '@engine/parsers/kernel-config'

/** The Linux kernel config fragment of the reference document (2.1.1, 2.2), from the list the checklist checks. */
export function kernelConfigFragment(): string {
  const lines = ['# K230 Bring-up: kernel options for the Quectel EC200A (reference document 2.1.1 and 2.2)']
  for (const group of REQUIRED_KERNEL_OPTIONS) {
    lines.push('', `# ${group.title}`)
    for (const option of group.options) lines.push(`${option.name}=y`)
  }
  return lines.join('\n') + '\n'
}

/** Path of option.c inside the K230 SDK, as the reference document names it. */
export const OPTION_C_PATH = 'src/little/linux/drivers/usb/serial/option.c'

/** The option_ids[] entry the reference document adds for the EC200A. */
export const OPTION_C_ENTRY = '{ USB_DEVICE_AND_INTERFACE_INFO(0x2c7c, 0x6005, 0xff, 0, 0) },'

/** A unified diff adding the EC200A entry at the head of option_ids[] (apply from the SDK root with `patch -p1` or `git apply`). */
export function optionCPatch(): string {
  return [
    `--- a/${OPTION_C_PATH}`,
    `+++ b/${OPTION_C_PATH}`,
    '@@ -583,2 +583,3 @@',
    ' static const struct usb_device_id option_ids[] = {',
    `+\t${OPTION_C_ENTRY} /* Quectel EC200A */`,
    ' \t{ USB_DEVICE(OPTION_VENDOR_ID, OPTION_PRODUCT_COLT) },',
    '',
  ].join('\n')
}

/** The buildroot defconfig fragment of the reference document (3.1): pppd with filter and radius. */
export function buildrootFragment(): string {
  return [
    '# K230 Bring-up: pppd for PPP dial-up (reference document 3.1)',
    'BR2_PACKAGE_PPPD=y',
    'BR2_PACKAGE_PPPD_FILTER=y',
    'BR2_PACKAGE_PPPD_RADIUS=y',
    '',
  ].join('\n')
}
