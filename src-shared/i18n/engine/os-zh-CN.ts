/** Simplified Chinese text of operating-system errors; same keys and parameters as English. */
import type en from './os-en'

const zhCN: typeof en = {
  ENOENT: '{target}：文件或文件夹不存在',
  EACCES: '{target}：没有权限',
  EPERM: '{target}：不允许此操作',
  ENOSPC: '{target}：磁盘空间已满',
  EROFS: '{target}：磁盘为只读',
  EISDIR: '{target}：这是文件夹，不是文件',
  ENOTDIR: '{target}：路径中的某一部分不是文件夹',
  EEXIST: '{target}：已存在',
  EBUSY: '{target}：正被其他程序占用',
  ENODEV: '{target}：设备不存在',
  ENXIO: '{target}：设备或地址不存在',
  EIO: '{target}：输入/输出错误（磁盘或设备故障）',
  EMFILE: '{target}：打开的文件过多',
  ETIMEDOUT: '{target}：超时',
  ECONNREFUSED: '{target}：连接被拒绝（服务器是否在运行？）',
  ECONNRESET: '{target}：连接被重置',
  EHOSTUNREACH: '{target}：无法到达主机',
  ENETUNREACH: '{target}：网络不可达',
  ENOTFOUND: '{target}：找不到主机名',
  EADDRINUSE: '{target}：地址已被占用',
  other: '{detail}',
}

export default zhCN
