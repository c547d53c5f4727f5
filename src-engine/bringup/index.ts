/** The one bring-up orchestrator used by the CLI, the app's services and the flash hand-over. */
export { Bringup, runBringup, type BringupOptions, type BringupResult, type SinkFailure } from './orchestrator'
export { bringupPlan, withNeeds, UnknownStepError } from './plan'
export { PlanError } from '../checklist/plan'
export { eventSink, reportSink, storeSink, type BringupSink, type SinkResult } from './sinks'
