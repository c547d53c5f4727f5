/** English text of why a request's payload was refused (`payloadError.<reason>`, from schema.ts), each naming its field. */
import type { PayloadReason } from '../../schema'

export default {
  oneOf: '{field}: expected one of {values}',
  notString: '{field}: expected a string, got {got}',
  tooLong: '{field}: longer than {max} characters',
  tooShort: '{field}: shorter than {min} characters',
  noMatch: '{field}: does not match {pattern}',
  notNumber: '{field}: expected a finite number, got {got}',
  notInteger: '{field}: expected an integer',
  below: '{field}: below {min}',
  above: '{field}: above {max}',
  notBoolean: '{field}: expected a boolean, got {got}',
  notArray: '{field}: expected an array, got {got}',
  tooMany: '{field}: more than {max} items',
  notObject: '{field}: expected an object, got {got}',
  unexpectedField: '{field}: unexpected field',
  noPayload: '{field}: expected no payload',
  invalid: '{field}: invalid',
} satisfies Record<PayloadReason, string>
