/** Profiles: schema, defaults, loading and hashing. */
export { DEFAULT_PROFILE, PROFILE_SCHEMA, type Profile } from './schema'
export { ProfileError, loadProfileFile, parseProfileText, resolveProfile } from './load'
export { canonicalJson, maskedProfile, profileHash } from './hash'
