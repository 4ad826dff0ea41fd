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
  /** Real epoch ms of each WorkflowExecutionSignaled event, with the signal name and (JSON payloads) its `event` field. */
  signaled: { name: string; at: number; event?: string }[];
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
  const signaled: HistoryFigures['signaled'] = [];
  for (const e of events) {
    const sig = e.workflowExecutionSignaledEventAttributes;
    if (sig) signaled.push({ name: sig.signalName ?? '?', at: tsMs(e.eventTime), ...eventField(sig.input?.payloads?.[0]?.data) });
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
  return { events: events.length, bytes, completed, scheduled, localActivities, signaled };
}

/** `{ event }` of a JSON signal argument (e.g. runEvent's 'run.succeeded'); nothing when it is not plain JSON. */
function eventField(data: Uint8Array | null | undefined): { event?: string } {
  if (!data) return {};
  try {
    const value = JSON.parse(Buffer.from(data).toString('utf8')) as { event?: unknown };
    return typeof value?.event === 'string' ? { event: value.event } : {};
  } catch {
    return {};
  }
}
