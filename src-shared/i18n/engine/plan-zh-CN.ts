/** Simplified Chinese text of plan errors; same keys and parameters as English. */
import type en from './plan-en'

const zhCN: typeof en = {
  'duplicate-step': '检查清单中步骤 {step} 出现了两次',
  'unknown-need': '步骤 {step} 依赖 {need}，但检查清单中没有这个步骤（步骤 id 拼写错误？）',
  'need-order': '步骤 {step} 依赖 {need}，但被依赖的步骤在检查清单中并不排在它之前',
}

export default zhCN
