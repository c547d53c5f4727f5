/** Hands the virtual boards to the engine: the console board for `connect({ sim })` and the burning-mode boards for flashing; imported once by each composition root (services, CLI, benches, tests), since the engine never imports src-board. K230_FLASH_SIM (a flash scenario; K230_FLASH_SIM_BOARDS boards, K230_FLASH_SIM_TIMESCALE) makes the virtual burning-mode boards the default bus. */
import { createVirtualBoard } from '../src-board/board'
import { createVirtualBurnBus } from '../src-board/burn/bus'
import { provideVirtualBoards } from '../src-engine/link/endpoint'
import { chooseDefaultBurnBus, provideVirtualBurnBus } from '../src-engine/flash/virtual-bus'

provideVirtualBoards((options) => createVirtualBoard(options))
provideVirtualBurnBus((options) => createVirtualBurnBus(options))
const flashSim = process.env.K230_FLASH_SIM
if (flashSim)
  chooseDefaultBurnBus(async () =>
    createVirtualBurnBus({ scenario: flashSim, boards: Number(process.env.K230_FLASH_SIM_BOARDS) || 1, timeScale: Number(process.env.K230_FLASH_SIM_TIMESCALE) || 1 }),
  )
