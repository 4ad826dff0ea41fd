/**
 * Recorded histories on disk: protobufjs `toObject` JSON (enums as names, 64-bit ints as strings,
 * bytes base64), read back with `fromObject` into the History the replayer takes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';

const History = proto.temporal.api.history.v1.History;
export const HISTORY_DIR = import.meta.dirname;

export function writeHistory(name: string, history: proto.temporal.api.history.v1.IHistory): string {
  const file = join(HISTORY_DIR, `${name}.json`);
  const json = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
  writeFileSync(file, `${JSON.stringify(json, null, 1)}\n`);
  return file;
}

export function readHistories(): { name: string; workflowType: string; history: proto.temporal.api.history.v1.History }[] {
  return readdirSync(HISTORY_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const history = History.fromObject(JSON.parse(readFileSync(join(HISTORY_DIR, f), 'utf8')));
      const workflowType = history.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '?';
      return { name: f.replace(/\.json$/, ''), workflowType, history };
    });
}
