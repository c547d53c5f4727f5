/** The AT channel: contract, parser, both transports and the typed helpers. */

export * from './result-codes'
export * from './urc'
export * from './response-parser'
export * from './channel'
export * from './board-transport'
export * from './direct-transport'
export * from './microcom-channel'
export * from './identity'
export * from './network'
export * from './quectel'
export * from './parsed-view'
