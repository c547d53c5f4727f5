/** Profile files in the station's profile folder: list, load with validation, validate text, save only valid ones. */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { ProfileProblem, ProfileView, SdkOverlayView } from '@shared/ipc'
import { DEFAULT_PROFILE, parseProfileText, ProfileError, type Profile } from '@engine/profile/index'
import { writeSdkOverlay } from '@engine/sdk-overlay/index'
import { PppParamError } from '@engine/ppp/index'
import { ServiceError } from './errors'
import { writeFileAtomic } from '@engine/files/atomic'

const DEFAULT_TEXT = `# Defaults from the reference procedure; uncomment a field to override it.\n# apn: ${DEFAULT_PROFILE.apn}\n# modes: [ecm, rndis, ppp]\n# limits: { csqMinDbm: ${DEFAULT_PROFILE.limits.csqMinDbm}, lossMaxPercent: ${DEFAULT_PROFILE.limits.lossMaxPercent}, rttMaxMs: ${DEFAULT_PROFILE.limits.rttMaxMs} }\nname: default\n`

/** A profile problem as the `{problem}` of a refusal: its catalogue key and parameters, else its English. */
function problemParams(problem: ProfileProblem): Record<string, string | number> {
  return problem.key ? { problemKey: problem.key, ...problem.params } : { problem: problem.message }
}

/** Wraps the engine's profile parser; trusts names already checked by the IPC schema (no separators). */
export class ProfilesService {
  constructor(private readonly dir: string) {}

  /** Profile names (file names without extension), `default` first. */
  list(): string[] {
    const names = existsSync(this.dir) ? readdirSync(this.dir).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => f.replace(/\.(ya?ml|json)$/, '')) : []
    return ['default', ...new Set(names.filter((n) => n !== 'default'))]
  }

  /** The profile text and its validation errors; `default` is the reference defaults when no file overrides it. */
  load(name: string): ProfileView {
    const file = this.fileOf(name)
    let text: string
    if (file) text = readFileSync(file, 'utf8')
    else if (name === 'default') text = DEFAULT_TEXT
    else throw ServiceError.keyed('not-found', 'noProfile', { name, dir: this.dir })
    return { name, text, errors: this.validate(text) }
  }

  /** The resolved profile (defaults filled) for a run; a bad file is a clear error naming the field. */
  resolve(name: string): Profile {
    const view = this.load(name)
    if (view.errors.length) throw ServiceError.keyed('invalid-profile', 'profileInvalid', problemParams(view.errors[0]))
    return parseProfileText(view.text, this.fileOf(name) ?? `${name}.yaml`)
  }

  /** Validation errors of a profile text (empty when valid), each naming the field and the reason. */
  validate(text: string): ProfileProblem[] {
    try {
      parseProfileText(text, 'profile.yaml')
      return []
    } catch (error) {
      if (error instanceof ProfileError) return [{ message: error.message, ...error.keyed }]
      return [{ message: error instanceof Error ? error.message : String(error) }]
    }
  }

  /** Saves a profile when it validates; an invalid one is refused and the old file kept. */
  save(name: string, text: string): ProfileView {
    const errors = this.validate(text)
    if (errors.length) throw ServiceError.keyed('invalid-profile', 'profileNotSaved', { name, ...problemParams(errors[0]) })
    mkdirSync(this.dir, { recursive: true })
    for (const ext of ['yml', 'json']) if (existsSync(join(this.dir, `${name}.${ext}`))) renameSync(join(this.dir, `${name}.${ext}`), join(this.dir, `${name}.${ext}.replaced`))
    const target = join(this.dir, `${name}.yaml`)
    writeFileAtomic(target, text)
    return { name, text, errors }
  }

  /** Writes the SDK overlay (kernel, option.c, buildroot, /etc/ppp) for this profile into `dir`; a bad profile is refused. */
  sdkOverlay(name: string, dir: string): SdkOverlayView {
    const p = this.resolve(name)
    try {
      const files = writeSdkOverlay(dir, { device: p.device, apn: p.apn, user: p.user, password: p.password, modemBaud: p.modemBaud })
      return { dir, files: files.map((f) => f.path) }
    } catch (error) {
      if (error instanceof PppParamError) throw ServiceError.keyed('invalid-profile', 'profileInvalid', { problemKey: error.keyed.key, ...error.keyed.params })
      throw error
    }
  }

  private fileOf(name: string): string | null {
    for (const ext of ['yaml', 'yml', 'json']) {
      const p = join(this.dir, `${name}.${ext}`)
      if (existsSync(p)) return p
    }
    return null
  }
}
