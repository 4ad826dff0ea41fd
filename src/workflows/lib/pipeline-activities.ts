/**
 * The activities the ETL pipeline calls: a slice of the worker's `Activities` (type only — the
 * workflow bundle never loads src/activities). Naming the slice keeps test doubles small: a fake
 * only implements these.
 */
import type { Activities } from '../../activities/index.js';

export type PipelineActivities = Pick<
  Activities,
  | 'clustersCreate'
  | 'clustersGet'
  | 'clustersStart'
  | 'clustersDelete'
  | 'clustersPermanentDelete'
  | 'waitClusterRunning'
  | 'workspaceImport'
  | 'jobsRunNow'
  | 'jobsSubmit'
  | 'jobsGetRun'
  | 'jobsCancelRun'
  | 'jobsRepairRun'
  | 'jobsGetRunFailureOutput'
  | 'waitRunTerminated'
  | 'warehousesGet'
  | 'warehousesStart'
  | 'waitWarehouseRunning'
  | 'statementsExecute'
  | 'statementsCancel'
  | 'waitStatement'
>;
