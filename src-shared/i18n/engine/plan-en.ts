/** English text of plan errors (`planError.*`, from src-engine/checklist/plan.ts): a checklist that cannot run as written. */
export default {
  'duplicate-step': 'The checklist lists the step {step} twice',
  'unknown-need': 'The step {step} needs {need}, which is no step of the checklist (a misspelt step id?)',
  'need-order': 'The step {step} needs {need}, which does not come before it in the checklist',
}
