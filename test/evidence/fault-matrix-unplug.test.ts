import { describe } from 'vitest'
import { faultMatrix } from './matrix'

describe('fault matrix: the USB-serial console is pulled out', () => faultMatrix('unplug'))
