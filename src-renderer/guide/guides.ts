/** What a technician must have done before each checklist step, what to look at, and which drawing shows it (keys into the `guide` catalogue). */

/** A drawing of the project (SVG components in this folder). */
export type Drawing = 'sim' | 'antenna' | 'cable' | 'usb' | 'boot'

/** Guidance of one step: catalogue keys of the preparation and the things to watch, plus drawings. */
export interface StepGuideSpec {
  before: string[]
  look: string[]
  pictures: Drawing[]
}

const MODE_DIAL: StepGuideSpec = { before: ['simInserted', 'antennaOn'], look: ['signal'], pictures: ['antenna'] }

const GUIDES: Record<string, StepGuideSpec> = {
  flash: { before: ['bootHeld'], look: ['burning'], pictures: ['boot'] },
  console: { before: ['cable', 'power'], look: ['bootLog'], pictures: ['cable'] },
  usb: { before: ['moduleSeated'], look: ['lsusb'], pictures: ['usb'] },
  drivers: { before: ['moduleSeated'], look: ['ttyUsb'], pictures: ['usb'] },
  userland: { before: [], look: ['pppdPresent'], pictures: [] },
  modem: { before: ['simInserted', 'antennaOn'], look: ['simReady'], pictures: ['sim', 'antenna'] },
  'ppp-config': { before: [], look: ['files'], pictures: [] },
  mode: { before: [], look: ['usbnet'], pictures: ['usb'] },
  dial: MODE_DIAL,
  net: { before: ['antennaOn'], look: ['ping'], pictures: ['antenna'] },
  restore: { before: [], look: ['restored'], pictures: [] },
}

/** The guidance for a step id (`ecm.dial` uses the `dial` guidance); undefined for a step without any. */
export function guideFor(stepId: string): StepGuideSpec | undefined {
  return GUIDES[stepId] ?? GUIDES[stepId.split('.').at(-1) ?? '']
}
