/** Hands the virtual board to the engine (`connect({ sim })`); imported once by each composition root (services, CLI, benches, tests), since the engine never imports src-board. */
import { createVirtualBoard } from '../src-board/board'
import { provideVirtualBoards } from '../src-engine/link/endpoint'

provideVirtualBoards((options) => createVirtualBoard(options))
