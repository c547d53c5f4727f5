/** Typed parsers of the board's command outputs; all pure, none throws on any input. */

export * from './text'
export * from './dmesg'
export * from './lsusb'
export * from './usb-devices'
export * from './usb-drivers'
export * from './udhcpc'
export * from './ifconfig'
export * from './ping'
export * from './pppd-log'
export * from './kernel-config'
