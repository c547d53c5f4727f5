/** Languages of the line dashboard. */
export type DashboardLang = 'en' | 'zh-CN'

const en = {
  title: 'Line dashboard',
  window: 'Window',
  from: 'From',
  to: 'To',
  includeSimulated: 'Include simulated units',
  show: 'Show',
  yieldByStation: 'Yield by station',
  yieldByShift: 'Yield by shift',
  yieldByHour: 'Yield by hour',
  shiftsIn: 'Shifts in',
  hoursIn: 'Hours in',
  firstPass: 'First-pass yield',
  finalYield: 'Final yield',
  units: 'units',
  paretoSteps: 'Failures by step',
  paretoCodes: 'Failures by remediation code',
  durations: 'Step duration (p50 / p90 / p99)',
  rates: 'Units per hour by station',
  search: 'Find a unit (serial, IMEI or ICCID)',
  searchButton: 'Find',
  history: 'History of',
  noRuns: 'No runs of this unit.',
  noData: 'No runs in this window.',
  started: 'Started',
  station: 'Station',
  serial: 'Serial',
  verdict: 'Verdict',
  causes: 'Causes',
  shift: 'Shift',
  language: '中文',
  simulated: 'SIMULATED',
  error: 'The line database could not be read',
}

const zh: typeof en = {
  title: '产线看板',
  window: '时间范围',
  from: '从',
  to: '到',
  includeSimulated: '包含模拟单元',
  show: '显示',
  yieldByStation: '各工位良率',
  yieldByShift: '各班次良率',
  yieldByHour: '每小时良率',
  shiftsIn: '班次时区',
  hoursIn: '小时时区',
  firstPass: '直通率',
  finalYield: '最终良率',
  units: '台',
  paretoSteps: '按步骤统计失败',
  paretoCodes: '按修复代码统计失败',
  durations: '步骤耗时 (p50 / p90 / p99)',
  rates: '各工位每小时台数',
  search: '查找单元（序列号、IMEI 或 ICCID）',
  searchButton: '查找',
  history: '履历：',
  noRuns: '没有该单元的记录。',
  noData: '此时间范围内没有记录。',
  started: '开始时间',
  station: '工位',
  serial: '序列号',
  verdict: '结论',
  causes: '原因',
  shift: '班次',
  language: 'English',
  simulated: '模拟',
  error: '无法读取产线数据库',
}

/** The dashboard's words in one language. */
export type DashboardLabels = typeof en

/** The dashboard catalogue for a language (English when unknown). */
export function dashboardLabels(lang: DashboardLang): DashboardLabels {
  return lang === 'zh-CN' ? zh : en
}
