/** Workflow history figures: event count, encoded bytes, and activity completion times. */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

export interface HistoryFigures {
  events: number;
  bytes: number;
  /** Activity type → real epoch ms of each ActivityTaskCompleted (in schedule order). */
  completed: Record<string, number[]>;
  /** Activity types scheduled, in order. */
  scheduled: string[];
  /** Local activities run (their results are recorded as markers). */
  localActivities: number;
}

const tsMs = (t: HistoryEvent['eventTime']): number => (t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0);

export async function historyFigures(client: Client, workflowId: string): Promise<HistoryFigures> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const bytes = temporal.api.history.v1.History.encode(temporal.api.history.v1.History.create(history)).finish().byteLength;
  const typeBySchedule = new Map<string, string>();
  const scheduled: string[] = [];
  const completed: Record<string, number[]> = {};
  let localActivities = 0;
  for (const e of events) {
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') localActivities++;
    const s = e.activityTaskScheduledEventAttributes;
    if (s) {
      const name = s.activityType?.name ?? '?';
      typeBySchedule.set(String(e.eventId), name);
      scheduled.push(name);
    }
    const c = e.activityTaskCompletedEventAttributes;
    if (c) {
      const name = typeBySchedule.get(String(c.scheduledEventId)) ?? '?';
      (completed[name] ??= []).push(tsMs(e.eventTime));
    }
  }
  return { events: events.length, bytes, completed, scheduled, localActivities };
}
