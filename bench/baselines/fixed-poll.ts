import type { WaitStrategy } from './pipeline.js';

/**
 * Airflow style: a fixed interval between polls, as the common Databricks operators do
 * (DatabricksSubmitRunOperator / DatabricksRunNowOperator `polling_period_seconds` defaults to 30).
 */
export const fixedPoll = (seconds = 30): WaitStrategy => () => seconds * 1000;
