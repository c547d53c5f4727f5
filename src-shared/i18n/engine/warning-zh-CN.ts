/** Simplified Chinese text of what the outputs of a run report without stopping it; same keys and parameters as English. */
import type en from './warning-en'

const zhCN: typeof en = {
  pdfPrinted: '已用 {chromium} 生成 PDF',
  noChromium: '找不到用于生成 PDF 的 Chromium：请安装 chromium（Debian：apt-get install chromium），或把 K230_CHROMIUM 设为 Chromium/Chrome 可执行文件。其他格式已照常写出。',
  noChromiumForced:
    '找不到用于生成 PDF 的 Chromium（K230_CHROMIUM={path} 不是可执行文件）：请安装 chromium（Debian：apt-get install chromium），或把 K230_CHROMIUM 设为 Chromium/Chrome 可执行文件。其他格式已照常写出。',
  noPlaywright: '生成 PDF 需要 playwright-core 软件包来驱动 Chromium（{detail}）；请运行 npm ci。',
  ledgerTorn: '{ledger}：最后一行不完整（{bytes} 字节，来自一次被中断的写入），已移到 {ledger}.torn',
  sinkFailed: '{sink}：{detail}',
}

export default zhCN
