import { sql, type Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';

/** Rows per INSERT ... SELECT: big enough to be fast, small enough to keep memory flat. */
const ROWS_PER_STATEMENT = 50_000;

export interface GeneratedLogs {
  readonly tenantId: string;
  readonly flowRunId: string;
  /** The lines are spread over these task runs in contiguous ranges; none: flow-run lines. */
  readonly taskRunIds?: readonly string[];
  readonly count: number;
  /** Timestamp of the first line (ISO 8601). */
  readonly start: string;
  /** Microseconds between consecutive timestamps. */
  readonly stepMicroseconds: number;
  /** How many consecutive lines share one timestamp (1: every line has its own). */
  readonly linesPerTimestamp?: number;
  /**
   * Prefix of deterministic ids (md5 of prefix and line number); without one the ids are
   * random.
   */
  readonly idPrefix?: string;
}

/**
 * Inserts `count` generated log lines with INSERT ... SELECT over `generate_series`, every
 * value a bound parameter, in statements of at most 50,000 rows. Levels repeat in a fixed
 * pattern (mostly INFO, some DEBUG, WARNING and ERROR); messages number the lines.
 */
export async function insertGeneratedLogs(db: Kysely<Tables>, spec: GeneratedLogs): Promise<number> {
  const owners = spec.taskRunIds && spec.taskRunIds.length > 0 ? spec.taskRunIds : [null];
  const perOwner = Math.ceil(spec.count / owners.length);
  const group = Math.max(1, Math.floor(spec.linesPerTimestamp ?? 1));
  let written = 0;
  for (const [index, taskRunId] of owners.entries()) {
    const first = index * perOwner + 1;
    const last = Math.min(spec.count, (index + 1) * perOwner);
    for (let from = first; from <= last; from += ROWS_PER_STATEMENT) {
      const to = Math.min(last, from + ROWS_PER_STATEMENT - 1);
      const id =
        spec.idPrefix === undefined ? sql`gen_random_uuid()` : sql`cast(md5(${spec.idPrefix} || cast(g.i as text)) as uuid)`;
      await sql`
        insert into log (id, tenant_id, flow_run_id, task_run_id, timestamp, name, level, message)
        select ${id},
               cast(${spec.tenantId} as uuid),
               cast(${spec.flowRunId} as uuid),
               cast(${taskRunId} as uuid),
               cast(${spec.start} as timestamptz)
                 + ((g.i - 1) / cast(${group} as integer)) * cast(${spec.stepMicroseconds} as bigint) * interval '1 microsecond',
               ${taskRunId === null ? 'prefect.CloudFlowRunner' : 'prefect.CloudTaskRunner'},
               case when g.i % 1000 = 0 then 'ERROR'
                    when g.i % 100 = 50 then 'WARNING'
                    when g.i % 10 = 5 then 'DEBUG'
                    else 'INFO' end,
               'Processed record batch ' || g.i || ' of ' || cast(${spec.count} as integer)
        from generate_series(cast(${from} as integer), cast(${to} as integer)) as g(i)
      `.execute(db);
      written += to - from + 1;
    }
  }
  return written;
}
