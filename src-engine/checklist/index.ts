/** The bring-up checklist: plan, runner, remediation table and step contracts. */
export { Checklist, type ChecklistEvent, type ChecklistOptions } from './runner'
export { buildPlan, KNOWN_STEP_IDS, PlanError, validatePlan, type PlanErrorCode } from './plan'
export { declarationOf, declaredPlan, limitsFor, namesFor, UndeclaredError, undeclaredIn, type DeclaredMeasurement, type DeclaredStep } from './declare'
export { REMEDIATION_CODES, remedy, reason, type RemediationCode } from './remediation'
export { judge, measurement } from './measure'
export type { AtReply, AtSender, ChecklistBoard, DeclaredLimits, MeasurementDeclaration, RunFacts, StepContext, StepDefinition, StepOutcome } from './types'
export { atSenderFromChannel } from './at-channel'
export { checklistBoardFor } from './from-console'
