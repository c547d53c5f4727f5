import { resolve } from 'node:path'
import type { CliCommand } from '../command'
import { EXIT, UsageError } from '../command'
import { parseCommandArgs } from '../args'
import { loadProfileFile, ProfileError, resolveProfile } from '@engine/profile/index'
import { PppParamError } from '@engine/ppp/index'
import { keyedText } from '@shared/i18n/render'
import { writeSdkOverlay } from '@engine/sdk-overlay/index'

/** `k230-bringup sdk-overlay --out DIR [--profile FILE] [--apn APN]`: writes the SDK changes of the reference document. */
export const sdkOverlayCommand: CliCommand = {
  name: 'sdk-overlay',
  summary: 'write the K230 SDK changes (kernel, option.c, buildroot, /etc/ppp) for image builders',
  usage: 'k230-bringup sdk-overlay --out DIR [--profile FILE] [--apn APN]',
  async run(argv, io) {
    const { values, t } = parseCommandArgs(argv, io.env, { out: { type: 'string' }, profile: { type: 'string' }, apn: { type: 'string' } })
    if (!values.out) throw new UsageError('cli.sdkOverlay.needsOut')
    try {
      const profile = values.profile ? loadProfileFile(resolve(io.cwd, values.profile)) : resolveProfile(undefined)
      const out = resolve(io.cwd, values.out)
      const files = writeSdkOverlay(out, {
        device: profile.device,
        apn: values.apn ?? profile.apn,
        user: profile.user,
        password: profile.password,
        modemBaud: profile.modemBaud,
      })
      for (const f of files) io.stdout.write(`${f.mode.toString(8).padStart(4, '0')}  ${f.path}\n`)
      io.stdout.write(`${t('cli.sdkOverlay.written', { dir: out })}\n`)
      return EXIT.ok
    } catch (error) {
      if (error instanceof ProfileError || error instanceof PppParamError) {
        io.stderr.write(`k230-bringup sdk-overlay: ${keyedText(t, error.keyed, error.message)}\n`)
        return EXIT.usage
      }
      throw error
    }
  },
}
