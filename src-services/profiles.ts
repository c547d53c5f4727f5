/** Profile files in the station's profile folder: list, load with validation, validate text, save only valid ones. */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ProfileView } from '@shared/ipc'
import { engineFunction } from './engine'
import { ServiceError } from './errors'

type ValidateProfile = (text: string) => string[]

/** Wraps the profile engine; trusts names already checked by the IPC schema (no separators). */
export class ProfilesService {
  constructor(
    private readonly dir: string,
    private readonly validator: () => Promise<ValidateProfile>,
  ) {}

  /** Profile names (file names without extension), `default` first. */
  list(): string[] {
    const names = existsSync(this.dir) ? readdirSync(this.dir).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => f.replace(/\.(ya?ml|json)$/, '')) : []
    return ['default', ...new Set(names.filter((n) => n !== 'default'))]
  }

  /** The profile text and its validation errors; `default` is the engine's defaults when no file overrides it. */
  async load(name: string): Promise<ProfileView> {
    const file = this.fileOf(name)
    let text: string
    if (file) text = readFileSync(file, 'utf8')
    else if (name === 'default') text = '# Defaults from the reference procedure; add fields to override them.\n{}\n'
    else throw new ServiceError('not-found', `No profile named ${name} in ${this.dir}`)
    return { name, text, errors: await this.validate(text) }
  }

  /** Validation errors of a profile text (empty when valid), each naming the field and the reason. */
  async validate(text: string): Promise<string[]> {
    return (await this.validator())(text)
  }

  /** Saves a profile when it validates; an invalid one is refused and the old file kept. */
  async save(name: string, text: string): Promise<ProfileView> {
    const errors = await this.validate(text)
    if (errors.length) throw new ServiceError('invalid-profile', `Profile ${name} not saved: ${errors.join('; ')}`)
    mkdirSync(this.dir, { recursive: true })
    const target = join(this.dir, `${name}.yaml`)
    const tmp = `${target}.tmp`
    writeFileSync(tmp, text)
    renameSync(tmp, target)
    return { name, text, errors }
  }

  /** The path of a saved profile, or null. */
  fileOf(name: string): string | null {
    for (const ext of ['yaml', 'yml', 'json']) {
      const p = join(this.dir, `${name}.${ext}`)
      if (existsSync(p)) return p
    }
    return null
  }
}

/** The engine's profile validator, loaded lazily. */
export async function engineProfileValidator(): Promise<ValidateProfile> {
  return engineFunction<ValidateProfile>('@engine/profile/index', 'validateProfileText', 'The profile validator')
}
