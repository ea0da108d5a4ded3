// What a watcher of a flow run must yield, read straight from the server's database: every
// state of the run, every log line and every task-run state change, in the order the watch
// promises, (timestamp, kind, id). Events are compared by a signature of what they are.
import type { RunviewServer } from '@runview/server';
import { parseTimestamp, type WatchEvent } from '../../src/index.js';

const RANK = { state: 0, taskRun: 1, log: 2 } as const;

interface Row {
  readonly kind: keyof typeof RANK;
  readonly id: string;
  readonly micros: string;
  readonly detail: string;
}

/** The signature of an event: what it is, never how it arrived. */
export function signature(event: WatchEvent): string {
  switch (event.type) {
    case 'state':
      return `state|${String(parseTimestamp(event.state.timestampRaw ?? '').epochMicros)}|${event.state.type}`;
    case 'log':
      return `log|${event.log.id}`;
    case 'taskRun':
      return `taskRun|${String(parseTimestamp(event.taskRun.state.timestampRaw ?? '').epochMicros)}|${event.taskRun.taskRunId}|${event.taskRun.state.type}`;
    case 'warning':
      return `warning|${event.message}`;
  }
}

/** The signatures a complete watch of the run yields, in order. */
export async function expectedSignatures(server: RunviewServer, flowRunId: string): Promise<string[]> {
  const micros = 'cast(floor(extract(epoch from timestamp)) as bigint) * 1000000 + cast(extract(microseconds from timestamp) as bigint) % 1000000';
  const rows = await server.db.query<Row>({
    sql: `
      select 'state' as kind, cast(id as text) as id, cast(${micros} as text) as micros, state as detail
        from flow_run_state where flow_run_id = $1
      union all
      select 'log', cast(id as text), cast(${micros} as text), cast(id as text)
        from log where flow_run_id = $1
      union all
      select 'taskRun', cast(s.id as text), cast(${micros.replaceAll('timestamp', 's.timestamp')} as text), cast(s.task_run_id as text) || '|' || s.state
        from task_run_state s join task_run r on r.id = s.task_run_id where r.flow_run_id = $1`,
    parameters: [flowRunId],
  });
  const sorted = [...rows].sort((a, b) => {
    const am = BigInt(a.micros);
    const bm = BigInt(b.micros);
    if (am !== bm) return am < bm ? -1 : 1;
    if (a.kind !== b.kind) return RANK[a.kind] - RANK[b.kind];
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return sorted.map((row) => (row.kind === 'log' ? `log|${row.detail}` : `${row.kind}|${row.micros}|${row.detail}`));
}

/** Collects every event of a watch and its final view. */
export async function collect<T>(iterable: AsyncIterable<WatchEvent>, result: Promise<T>): Promise<{ events: WatchEvent[]; final: T }> {
  const events: WatchEvent[] = [];
  for await (const event of iterable) events.push(event);
  return { events, final: await result };
}
