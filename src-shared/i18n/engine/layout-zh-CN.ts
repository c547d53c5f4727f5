/** Simplified Chinese text of a station layout's problems; same keys and parameters as English. */
import type en from './layout-en'

const zhCN: typeof en = {
  notObject: '{field}：应为对象，实际为{got}',
  unexpectedField: '{field}：不认识的字段',
  notString: '{field}：应为文本，实际为{got}',
  length: '{field}：应为 {min} 到 {max} 个字符，实际 {length} 个',
  nameChars: '{field}：只能使用可打印字符，首尾不能有空格',
  portChars: '{field}：只能使用可打印字符',
  comOnly: '{field}：COM 编号在重新插拔后会变化；请填写 USB 位置（例如 Port_#0003.Hub_#0001）',
  notInteger: '{field}：应为整数，实际为{got}',
  baudList: '{field}：应为以下标准波特率之一：{bauds}',
  scenarioPattern: "{field}：应为 1 到 64 个字母、数字、'-' 或 '_'",
  portAndScenario: '{field}：一个工位槽要么接串口，要么用虚拟场景，不能两者都有',
  version: '{field}：应为 1，实际为 {value}',
  notBoolean: '{field}：应为 true 或 false，实际为{got}',
  notArray: '{field}：应为列表，实际为{got}',
  slotCount: '{field}：应有 1 到 {max} 个工位槽，实际 {count} 个',
  duplicateName: '{field}：“{name}”已是 slots[{first}] 的名称',
  duplicatePort: '{field}：“{port}”已是 slots[{first}] 的串口',
  type: {
    null: '空值（null）',
    array: '列表',
    object: '对象',
    string: '文本',
    number: '数字',
    boolean: 'true 或 false',
    undefined: '无',
    bigint: '大整数',
    symbol: '符号',
    function: '函数',
  },
}

export default zhCN
