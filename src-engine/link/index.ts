/** Link: serial ports, the virtual board, port listing and hot-plug. */
export { LinkLostError, type Link } from './link'
export { openSerialLink, type SerialLinkOptions } from './serial-link'
export { openVirtualLink } from './virtual-link'
export { listPorts, describePort, type PortInfo, type RawPortInfo } from './ports'
export { watchPorts, type PortWatcher, type PortChange, type PortWatcherOptions } from './port-watcher'
export { reopenSerialLink, samePort, type PortIdentity, type ReopenOptions } from './reconnect'
export { identifyUsb, usbId, interfaceNumber, EC200A_INTERFACES, type UsbIdentity } from './usb-ids'
export { normalizePortPath } from './port-path'
