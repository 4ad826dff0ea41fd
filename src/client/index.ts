/**
 * The Temporal-side API other services import to trigger and follow durabricks workflows (the REST
 * client for Databricks is src/databricks). Workflow ids are stable per pipeline by default, so a
 * retried start attaches to the running pipeline instead of starting a duplicate.
 */
export { ConflictingStartError } from './attach.js';
export { connectDurabricks, TemporalConnectError, type DurabricksClient } from './connect.js';
export {
  startPipeline,
  pipelineHandle,
  pipelineWorkflowId,
  getPipelineProgress,
  waitForPipelineResult,
  cancelPipeline,
  WorkflowNotRunningError,
  signalRunEvent,
  listRecentPipelines,
  type StartPipelineOptions,
  type StartedPipeline,
  type PipelineHandle,
  type PipelineRunSummary,
} from './pipelines.js';
export {
  createPipelineSchedule,
  pausePipelineSchedule,
  unpausePipelineSchedule,
  deletePipelineSchedule,
  describePipelineSchedule,
  listPipelineSchedules,
  triggerPipelineSchedule,
  backfillPipelineSchedule,
  type BackfillOptions,
  createSweeperSchedule,
  listSweeperSchedules,
  type SweeperScheduleSummary,
  type PipelineScheduleOptions,
  type ScheduleSummary,
} from './schedules.js';
export { startBackfill, followBackfill, backfillWorkflowId, type BackfillHandle, type StartBackfillOptions } from './backfill.js';
export type { FollowOptions } from './follow.js';
export { BackfillFailureType, type BackfillProgress, type BackfillResult, type BackfillFailureDetails, type BackfillRun } from '../workflows/lib/backfill-types.js';
export { startProvisioning, type ProvisioningHandle } from './provisioning.js';
export { startDeprovisioning, provisionedRecord, CannotDeprovisionError, type DeprovisioningHandle } from './deprovisioning.js';
export { provisionPlan } from './provision-plan.js';
export { startWebhookReceiver, parseRunNotification, type RunningWebhookReceiver } from './webhook-receiver.js';
export { ensureWebhookDestination, DEFAULT_DESTINATION_NAME, type WebhookDestinationOptions } from './webhook-destination.js';
export { createTemporalActivities, type TemporalActivities } from './temporal-activities.js';
export { loadPipelineSpecFile, parsePipelineSpecText, SpecFileError } from './spec-file.js';
export { InvalidPipelineSpecError, validatePipelineSpec, type PipelineSpec, type PipelineSpecInput } from '../workflows/lib/pipeline-spec.js';
export { PipelineFailureType, type PipelineProgress, type PipelineResult, type RunEvent, type PipelineFailureDetails, type FailedTask } from '../workflows/lib/pipeline-types.js';
