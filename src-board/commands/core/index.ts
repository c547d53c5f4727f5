import type { CommandImpl } from '../../types'
import type { CommandTable } from '../../shell/registry'
import { fileCommands } from './files'
import { systemCommands } from './system'
import { textCommands } from './text'
import type { CoreDeps } from './deps'

export type { CoreDeps, TtyControl, CoreContext } from './deps'

/** Registers the generic BusyBox applets on the board's command table. */
export function installCoreCommands(commands: CommandTable, deps: CoreDeps): void {
  const all: Record<string, CommandImpl> = { ...textCommands(deps), ...fileCommands(deps), ...systemCommands(deps) }
  for (const [name, impl] of Object.entries(all)) commands.register(name, impl)
  commands.register('busybox', async (ctx) => {
    const applet = ctx.argv[1]
    const impl = applet ? commands.get(applet) : undefined
    if (!impl) {
      ctx.stdout('BusyBox v1.33.1 (2024-04-27 10:04:39 CST) multi-call binary.\nBusyBox is copyrighted by many authors between 1998-2015.\nLicensed under GPLv2. See source distribution for detailed\ncopyright notices.\n\nUsage: busybox [function [arguments]...]\n')
      return applet ? 1 : 0
    }
    return impl({ ...ctx, argv: ctx.argv.slice(1) })
  })
}
