import { describe } from 'vitest'
import { faultMatrix } from './matrix'

describe('fault matrix: the board power-cycles', () => faultMatrix('reboot'))
