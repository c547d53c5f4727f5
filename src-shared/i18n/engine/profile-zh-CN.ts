/** Simplified Chinese text of profile refusals; same keys and parameters as English. */
import type profileEn from './profile-en'

const profileZh: typeof profileEn = {
  inField: '{source}：字段“{field}”：{reason}',
  inFile: '{source}：文件：{reason}',
  reason: {
    unknownField: '未知字段',
    oneOf: '必须是以下之一：{values}',
    pattern: '值无效',
    patternHint: '值无效：应为{hint}',
    type: '必须是{type}',
    typeHint: '必须是{type}（{hint}）',
    limit: '必须 {comparison} {limit}',
    limitHint: '必须 {comparison} {limit}（{hint}）',
    minItems: '至少要有 {limit} 项',
    maxItems: '最多只能有 {limit} 项',
    minLength: '至少要有 {limit} 个字符',
    maxLength: '最多只能有 {limit} 个字符',
    uniqueItems: '不能有重复项（第 {j} 项和第 {i} 项相同）',
    required: '必须有字段“{missing}”',
    other: '{text}',
    invalid: '无效',
    notObject: '应为一组设置（对象），实际是{got}',
    emptyLabel: '值无效：主机名中有空的标签',
    notJson: '不是有效的 JSON：第 {line} 行第 {column} 列有误',
    notYaml: '不是有效的 YAML：第 {line} 行第 {column} 列有误',
    notRegular: '不是普通文件（设备、FIFO 或文件夹不能作为配置文件）',
    tooLarge: '文件太大（{size} 字节；配置文件最多 {max} 字节）',
    noFile: '文件不存在',
    unreadable: '无法读取（{text}）',
  },
  hint: {
    ms: '开发板毫秒数',
    host: '主机名或 IPv4 地址',
    apn: '字母、数字、点和短横线（3GPP TS 23.003），例如 3gnet 或 CMNET',
    ascii: '可打印的 ASCII 字符',
    device: '/dev 设备节点，例如 /dev/ttyUSB2',
  },
  ppp: {
    inField: 'PPP {field}：{reason}',
    reason: {
      controlCharacters: 'PPP 文件中不能写入控制字符',
      notApn: '“{value}”不是 APN（只能包含字母、数字、点和短横线）',
      notDevice: '“{value}”不是 /dev 设备节点（例如 /dev/ttyUSB2）',
      notBaud: '{value} 不是波特率',
      templateMissing: '缺少模板“{name}”',
      unknownPlaceholder: '模板“{name}”使用了未知的占位符 {placeholder}',
    },
  },
  type: { integer: '整数', number: '数字', string: '字符串', array: '列表', object: '对象', boolean: 'true 或 false', null: '空值' },
  got: { list: '列表', string: '字符串', number: '数字', boolean: '布尔值' },
}

export default profileZh
