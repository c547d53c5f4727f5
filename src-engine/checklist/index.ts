/** The bring-up checklist: plan, runner, remediation table and step contracts. */
export { Checklist, type ChecklistEvent, type ChecklistOptions } from './runner'
export { buildPlan } from './plan'
export { REMEDIATION_CODES, remedy, reason, type RemediationCode } from './remediation'
export { judge, measurement } from './measure'
export type { AtReply, AtSender, ChecklistBoard, RunFacts, StepContext, StepDefinition, StepOutcome } from './types'
export { atSenderFromChannel } from './at-channel'
export { checklistBoardFor } from './from-console'
