/** Remediation codes: the engine names a failure by code and parameters; cause and fix text live in the catalogues (src-shared/i18n). */
import type { Remediation } from '@shared/record'
import { en } from '@shared/i18n/catalogue'
import { remedyText, reasonText, type Coded } from '@shared/i18n/render'
import { translator } from '@shared/i18n/translate'

/** Every remediation code (the catalogue's `remedy` keys). */
export type RemediationCode = Exclude<keyof typeof en.remedy, 'unknown'>

/** All codes, for documentation and tests. */
export const REMEDIATION_CODES = Object.keys(en.remedy).filter((c) => c !== 'unknown') as RemediationCode[]

/** The English translator, for the text records and errors keep for JSON readers and logs. */
export const english = translator('en')

/** The remediation for `code` with the parameters its text names (measured value, limit...); `cause`/`fix` carry the English text for JSON readers. */
export function remedy(code: RemediationCode, params?: Record<string, string | number>): Remediation {
  const text = remedyText(english, { code, cause: '', fix: '', ...(params ? { params } : {}) })
  return { code, cause: text.cause, fix: text.fix, ...(params ? { params } : {}) }
}

/** A step's reason as a code with parameters. */
export function reason(code: string, params?: Record<string, string | number>): Coded {
  return params ? { code, params } : { code }
}

/** The English text of a coded reason, kept in the record for JSON readers. */
export function reasonEnglish(coded: Coded): string {
  return reasonText(english, { reasonCode: coded.code, ...(coded.params ? { reasonParams: coded.params } : {}) })
}
