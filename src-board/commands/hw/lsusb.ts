import type { CommandImpl } from '../../types'
import type { HwContext } from '../../hardware/context'

/** `lsusb`: BusyBox's one line per USB device, from the USB model. */
export function lsusbCommand(hw: HwContext): CommandImpl {
  return async (ctx) => {
    ctx.stdout(hw.usb.lsusb())
    return 0
  }
}
