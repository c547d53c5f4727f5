/** Simplified Chinese text of why a request's payload was refused; same keys and parameters as English. */
import type en from './payload-en'

const zhCN: typeof en = {
  oneOf: '{field}：应为以下之一：{values}',
  notString: '{field}：应为文本，实际为{got}',
  tooLong: '{field}：超过 {max} 个字符',
  tooShort: '{field}：少于 {min} 个字符',
  noMatch: '{field}：格式不符合 {pattern}',
  notNumber: '{field}：应为有限数字，实际为{got}',
  notInteger: '{field}：应为整数',
  below: '{field}：小于 {min}',
  above: '{field}：大于 {max}',
  notBoolean: '{field}：应为 true 或 false，实际为{got}',
  notArray: '{field}：应为列表，实际为{got}',
  tooMany: '{field}：超过 {max} 项',
  notObject: '{field}：应为对象，实际为{got}',
  unexpectedField: '{field}：不认识的字段',
  noPayload: '{field}：此请求不带数据',
  invalid: '{field}：无效',
}

export default zhCN
