/** Simplified Chinese text of console link failures; same keys and parameters as English. */
import type en from './link-en'

const zhCN: typeof en = {
  open: {
    heldByAnother: '无法打开 {path}：访问被拒绝。另一个程序（例如 PuTTY 之类的终端，或本软件的另一个窗口）正占用该串口；请关闭它后重试。',
    permission:
      '无法打开 {path}：没有权限。当前用户不能使用串口：请把它加入 dialout 组（`sudo usermod -aG dialout $USER`，然后注销并重新登录），或安装 udev 规则 60-k230-bringup.rules（deb 安装包会自动安装）。',
    busy: '无法打开 {path}：串口正被其他程序占用（终端、ModemManager 或本软件的另一个窗口）。请关闭它后重试。',
    noSuchPort: '无法打开 {path}：没有这个串口。USB 转串口线插好了吗？请在列表中重新选择串口。',
    other: '无法打开串口 {path}：{detail}',
  },
}

export default zhCN
