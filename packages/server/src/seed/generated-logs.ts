import { sql, type Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';

/** Rows per INSERT ... SELECT: big enough to be fast, small enough to keep memory flat. */
const ROWS_PER_STATEMENT = 50_000;

export interface GeneratedLogs {
  readonly tenantId: string;
  /** Every one of these flow runs gets `count` lines. */
  readonly flowRunIds: readonly string[];
  /**
   * With a single flow run: its lines are spread over these task runs in contiguous
   * ranges. Without: flow-run lines.
   */
  readonly taskRunIds?: readonly string[];
  /** Lines per flow run. */
  readonly count: number;
  /** Timestamp of each run's first line (ISO 8601). */
  readonly start: string;
  /** Microseconds between consecutive timestamps. */
  readonly stepMicroseconds: number;
  /** How many consecutive lines share one timestamp (1: every line has its own). */
  readonly linesPerTimestamp?: number;
  /** Prefix of deterministic ids (md5 of prefix, run and line number); without one the ids are random. */
  readonly idPrefix?: string;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * Inserts generated log lines with INSERT ... SELECT over `generate_series`, every value a
 * bound parameter, at most 50,000 rows per statement (several runs per statement when each
 * has few lines). Levels repeat in a fixed pattern (mostly INFO, some DEBUG, WARNING and
 * ERROR); messages number the lines.
 *
 * @returns the number of lines written.
 */
export async function insertGeneratedLogs(db: Kysely<Tables>, spec: GeneratedLogs): Promise<number> {
  if (spec.count <= 0 || spec.flowRunIds.length === 0) return 0;
  const single = spec.flowRunIds.length === 1 && spec.taskRunIds !== undefined && spec.taskRunIds.length > 0;
  const owners: (string | null)[] = single ? [...(spec.taskRunIds ?? [])] : [null];
  const perOwner = Math.ceil(spec.count / owners.length);
  const group = Math.max(1, Math.floor(spec.linesPerTimestamp ?? 1));
  const runsPerStatement = Math.max(1, Math.floor(ROWS_PER_STATEMENT / spec.count));
  let written = 0;
  for (const runs of chunks(spec.flowRunIds, runsPerStatement)) {
    const linesPerStatement = Math.max(1, Math.floor(ROWS_PER_STATEMENT / runs.length));
    for (const [index, taskRunId] of owners.entries()) {
      const first = index * perOwner + 1;
      const last = Math.min(spec.count, (index + 1) * perOwner);
      for (let from = first; from <= last; from += linesPerStatement) {
        const to = Math.min(last, from + linesPerStatement - 1);
        const id =
          spec.idPrefix === undefined ? sql`gen_random_uuid()` : sql`cast(md5(${spec.idPrefix} || cast(fr.id as text) || '/' || cast(g.i as text)) as uuid)`;
        await sql`
          insert into log (id, tenant_id, flow_run_id, task_run_id, timestamp, name, level, message)
          select ${id},
                 cast(${spec.tenantId} as uuid),
                 fr.id,
                 cast(${taskRunId} as uuid),
                 cast(${spec.start} as timestamptz)
                   + ((g.i - 1) / cast(${group} as integer)) * cast(${spec.stepMicroseconds} as bigint) * interval '1 microsecond',
                 ${taskRunId === null ? 'prefect.CloudFlowRunner' : 'prefect.CloudTaskRunner'},
                 case when g.i % 1000 = 0 then 'ERROR'
                      when g.i % 100 = 50 then 'WARNING'
                      when g.i % 10 = 5 then 'DEBUG'
                      else 'INFO' end,
                 'Processed record batch ' || g.i || ' of ' || cast(${spec.count} as integer)
          from flow_run as fr
          cross join generate_series(cast(${from} as integer), cast(${to} as integer)) as g(i)
          where fr.id in (${sql.join(runs.map((run) => sql`cast(${run} as uuid)`))})
        `.execute(db);
        written += (to - from + 1) * runs.length;
      }
    }
  }
  return written;
}
