/** The expected outcome of every virtual-board scenario, shared by the CLI table test and the one-orchestrator paths test. */
import { expect } from 'vitest'
import type { RunRecord, StepRecord } from '@shared/record'

/** What a technician must read for each scenario: the first step that did not pass, its verdict, the remediation and words of its fix. */
export interface Expectation {
  step?: string
  verdict?: 'fail' | 'error'
  codes?: string[]
  fixSays?: RegExp
  exit: number
  also?: (record: RunRecord) => void
}

export const byId = (record: RunRecord, id: string): StepRecord => record.steps.find((s) => s.id === id) as StepRecord

export const TABLE: Record<string, Expectation> = {
  healthy: {
    exit: 0,
    also: (r) => {
      expect(r.steps.map((s) => [s.id, s.verdict])).toEqual(['console', 'usb', 'drivers', 'userland', 'modem', 'ppp-config', 'ecm.mode', 'ecm.dial', 'ecm.net', 'rndis.mode', 'rndis.dial', 'rndis.net', 'ppp.dial', 'ppp.net', 'restore'].map((id) => [id, 'pass']))
      for (const id of ['ecm.dial', 'rndis.dial']) expect(byId(r, id).attempts[0].measurements.find((m) => m.name === 'ip')?.value).toBe('10.232.182.16')
      expect(byId(r, 'ppp.dial').attempts[0].measurements.find((m) => m.name === 'ppp0_ip')?.value).toBe('10.145.32.88')
      expect(byId(r, 'rndis.mode').attempts[0].measurements.find((m) => m.name === 'network_driver')?.value).toBe('rndis_host')
      expect(byId(r, 'usb').attempts[0].measurements.find((m) => m.name === 'dmesg_enumeration')?.value).toBe(true)
      expect(r.unit).toMatchObject({ imei: '868371051234567', iccid: '89860022102050123456', operator: 'CHINA MOBILE' })
    },
  },
  'no-sim': { step: 'modem', verdict: 'fail', codes: ['sim-missing'], fixSays: /Insert a SIM/, exit: 1 },
  'weak-signal': { step: 'modem', verdict: 'fail', codes: ['weak-signal'], fixSays: /antenna/, exit: 1 },
  'no-signal': { step: 'modem', verdict: 'fail', codes: ['no-signal'], fixSays: /antenna/, exit: 1 },
  'not-registered': { step: 'modem', verdict: 'fail', codes: ['registration-denied'], fixSays: /APN and the SIM subscription/, exit: 1 },
  'no-option-vidpid': {
    step: 'usb',
    verdict: 'fail',
    codes: ['option-vidpid-missing'],
    fixSays: /\{ USB_DEVICE_AND_INTERFACE_INFO\(0x2c7c, 0x6005, 0xff, 0, 0\) \}[\s\S]*echo 2c7c 6005 > \/sys\/bus\/usb-serial\/drivers\/option1\/new_id/,
    exit: 1,
    also: (r) => expect(byId(r, 'modem').attempts[0]).toMatchObject({ reasonCode: 'needs-fail', reasonParams: { step: 'usb' } }),
  },
  'no-rndis-driver': {
    step: 'drivers',
    verdict: 'fail',
    codes: ['kernel-rndis-missing'],
    fixSays: /CONFIG_USB_NET_RNDIS_HOST/,
    exit: 1,
    also: (r) => {
      expect(byId(r, 'rndis.mode').attempts[0].remediation?.code).toBe('kernel-rndis-missing')
      expect(['ecm.mode', 'ecm.dial', 'ecm.net', 'ppp.dial', 'ppp.net'].map((id) => byId(r, id).verdict)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass'])
    },
  },
  'no-pppd': {
    step: 'userland',
    verdict: 'fail',
    codes: ['pppd-missing'],
    fixSays: /BR2_PACKAGE_PPPD/,
    exit: 1,
    also: (r) => expect(byId(r, 'ppp.dial').attempts[0]).toMatchObject({ reasonCode: 'needs-fail', reasonParams: { step: 'userland' } }),
  },
  'module-stuck-after-reset': { step: 'rndis.mode', verdict: 'fail', codes: ['module-stuck-after-reset'], fixSays: /Power-cycle the board and the module/, exit: 1 },
  'dhcp-timeout': { step: 'ecm.dial', verdict: 'fail', codes: ['dhcp-no-lease'], fixSays: /AT\+QNETDEVCTL=3,1,1/, exit: 1 },
  'lossy-network': { step: 'ecm.net', verdict: 'fail', codes: ['high-loss', 'high-latency'], fixSays: /antenna/, exit: 1 },
  'dns-failure': { step: 'ecm.net', verdict: 'fail', codes: ['dns-failure'], fixSays: /resolv\.conf/, exit: 1 },
  'readonly-rootfs': { step: 'ppp-config', verdict: 'fail', codes: ['rootfs-readonly'], fixSays: /mount -o remount,rw \//, exit: 1 },
  'reboot-mid-run': { step: 'console', verdict: 'error', codes: ['board-rebooted'], fixSays: /power supply/, exit: 3 },
  'unplug-mid-transfer': { verdict: 'error', codes: ['link-lost'], fixSays: /Replug the console cable/, exit: 3, also: (r) => expect(r.status).toBe('link-lost') },
  'noisy-line': { step: 'console', verdict: 'error', codes: ['console-unreachable', 'line-noise'], fixSays: /ground/, exit: 3 },
}

