import type { OverallVerdict, RunStatus, StepRecord, Verdict } from '@shared/record'

/** Languages the reports are written in. */
export type ReportLang = 'en' | 'zh-CN'
/** Every report language, for option lists. */
export const REPORT_LANGS: readonly ReportLang[] = ['en', 'zh-CN']

const EN = {
  reportTitle: 'K230 bring-up report',
  yieldTitle: 'K230 bring-up yield summary',
  unit: 'Unit',
  serial: 'Serial',
  imei: 'IMEI',
  iccid: 'ICCID',
  imsi: 'IMSI',
  operator: 'Network operator',
  modemModel: 'Modem',
  modemFirmware: 'Modem firmware',
  kernel: 'Kernel',
  station: 'Station',
  stationOperator: 'Technician',
  appVersion: 'App version',
  port: 'Console port',
  profile: 'Profile',
  profileHash: 'Profile hash',
  runId: 'Run id',
  started: 'Started',
  offset: 'Start offset',
  ended: 'Ended',
  duration: 'Duration',
  status: 'Run status',
  verdict: 'Overall verdict',
  simulated: 'SIMULATED: virtual board, not a real unit',
  checklist: 'Checklist',
  step: 'Step',
  result: 'Result',
  attempts: 'Attempts',
  time: 'Time',
  measurements: 'Measurements',
  measurement: 'Measurement',
  value: 'Value',
  limits: 'Limits',
  unitCol: 'Unit',
  remediation: 'Remediation',
  cause: 'Cause',
  fix: 'Fix',
  code: 'Code',
  reason: 'Reason',
  error: 'Error',
  evidence: 'Evidence',
  timings: 'Timings',
  transcript: 'Transcript',
  transcriptLines: 'lines',
  kernelLines: 'kernel messages',
  omittedLines: 'lines left out of the printed copy (all are in the HTML and JSON reports)',
  kernelMark: 'kernel',
  noMeasurements: 'No measurements.',
  noFailures: 'No failures: nothing to remediate.',
  digest: 'Record SHA-256',
  signedBy: 'Signed by station',
  generated: 'Report of run',
  page: 'Page',
  of: 'of',
  none: '—',
  attemptHistory: 'Earlier attempts',
  needs: 'Needs',
  range: 'Date range',
  allRuns: 'all runs',
  runsSpan: 'First and last run',
  runs: 'Runs',
  units: 'Units',
  firstPassYield: 'First-pass yield',
  finalYield: 'Final yield',
  passRateByStep: 'Pass rate per step',
  passRate: 'Pass rate',
  passed: 'Passed',
  tested: 'Tested',
  skippedCount: 'Skipped',
  topCauses: 'Top failure causes',
  count: 'Count',
  share: 'Share',
  noRuns: 'No runs in this range.',
  legendKernel: 'Kernel messages are marked K and highlighted.',
} as const

type Labels = { [K in keyof typeof EN]: string }

const ZH: Labels = {
  reportTitle: 'K230 上电调试报告',
  yieldTitle: 'K230 上电调试良率汇总',
  unit: '单元',
  serial: '序列号',
  imei: 'IMEI',
  iccid: 'ICCID',
  imsi: 'IMSI',
  operator: '网络运营商',
  modemModel: '模组',
  modemFirmware: '模组固件',
  kernel: '内核',
  station: '工位',
  stationOperator: '技术员',
  appVersion: '软件版本',
  port: '串口',
  profile: '配置',
  profileHash: '配置哈希',
  runId: '运行编号',
  started: '开始时间',
  offset: '开始偏移',
  ended: '结束时间',
  duration: '耗时',
  status: '运行状态',
  verdict: '总体结论',
  simulated: '模拟：虚拟板，非真实产品',
  checklist: '检查清单',
  step: '步骤',
  result: '结果',
  attempts: '尝试次数',
  time: '时间',
  measurements: '测量值',
  measurement: '测量项',
  value: '数值',
  limits: '限值',
  unitCol: '单位',
  remediation: '处理建议',
  cause: '原因',
  fix: '处理方法',
  code: '代码',
  reason: '说明',
  error: '错误',
  evidence: '证据',
  timings: '时间统计',
  transcript: '串口记录',
  transcriptLines: '行',
  kernelLines: '条内核消息',
  omittedLines: '行未打印（HTML 与 JSON 报告中保留全部内容）',
  kernelMark: '内核',
  noMeasurements: '无测量值。',
  noFailures: '无失败项，无需处理。',
  digest: '记录 SHA-256',
  signedBy: '签名工位',
  generated: '运行报告',
  page: '第',
  of: '页，共',
  none: '—',
  attemptHistory: '之前的尝试',
  needs: '依赖',
  range: '日期范围',
  allRuns: '全部运行',
  runsSpan: '首次与末次运行',
  runs: '运行次数',
  units: '单元数',
  firstPassYield: '直通率',
  finalYield: '最终良率',
  passRateByStep: '各步骤通过率',
  passRate: '通过率',
  passed: '通过',
  tested: '测试',
  skippedCount: '跳过',
  topCauses: '主要失败原因',
  count: '次数',
  share: '占比',
  noRuns: '该日期范围内没有运行记录。',
  legendKernel: '内核消息以 K 标记并高亮显示。',
}

/** Report labels in the given language; unknown languages fall back to English. */
export function labels(lang: ReportLang): Labels {
  return lang === 'zh-CN' ? ZH : EN
}

const VERDICT_TEXT: Record<ReportLang, Record<Verdict | OverallVerdict | 'pending' | 'unset', string>> = {
  en: { pass: 'PASS', fail: 'FAIL', skipped: 'SKIPPED', error: 'ERROR', aborted: 'ABORTED', running: 'RUNNING', interrupted: 'INTERRUPTED', pending: 'NOT RUN', unset: 'UNSET' },
  'zh-CN': { pass: '通过', fail: '失败', skipped: '跳过', error: '错误', aborted: '已中止', running: '进行中', interrupted: '已中断', pending: '未运行', unset: '未判定' },
}

/** Verdict word shown beside its mark. */
export function verdictText(verdict: string, lang: ReportLang): string {
  return (VERDICT_TEXT[lang] as Record<string, string>)[verdict] ?? verdict
}

const STATUS_TEXT: Record<ReportLang, Record<RunStatus, string>> = {
  en: { running: 'running', completed: 'completed', aborted: 'aborted by operator', interrupted: 'interrupted', 'link-lost': 'console link lost' },
  'zh-CN': { running: '进行中', completed: '已完成', aborted: '操作员中止', interrupted: '已中断', 'link-lost': '串口连接丢失' },
}

/** Run status in words. */
export function statusText(status: string, lang: ReportLang): string {
  return (STATUS_TEXT[lang] as Record<string, string>)[status] ?? status
}

const STEP_ZH: Record<string, string> = {
  flash: '烧录固件',
  console: '串口控制台',
  usb: 'USB 枚举',
  drivers: '驱动绑定',
  userland: '用户态工具',
  modem: '模组与 SIM',
  'ppp-config': 'PPP 配置文件',
  mode: '切换网络模式',
  dial: '拨号',
  net: '网络连通性',
  dhcp: '获取 IP 地址',
}

const MODE_NAMES: Record<string, string> = { ecm: 'ECM', rndis: 'RNDIS', ppp: 'PPP' }

/** Step title in the report language: the record's title in English, a translation of known step ids in Chinese. */
export function stepTitle(step: Pick<StepRecord, 'id' | 'title'>, lang: ReportLang): string {
  if (lang !== 'zh-CN') return step.title || step.id
  const [head, tail] = step.id.split('.', 2)
  if (tail && MODE_NAMES[head] && STEP_ZH[tail]) return `${MODE_NAMES[head]} ${STEP_ZH[tail]}`
  return STEP_ZH[step.id] ?? (step.title || step.id)
}

/** Formats a duration in ms as `1 h 2 min 3.4 s` style text. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}
