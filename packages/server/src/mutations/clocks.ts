/**
 * The clocks `set_flow_group_schedule` stores, shaped as Prefect Core serializes them
 * (`CronClock`, `IntervalClock` with microseconds) so the flow runner and the UI read them
 * back as Prefect Server's. A schedule with a time zone starts now, on that zone's wall clock.
 */
import type { JsonValue } from '../db/tables.js';
import { badUserInput } from '../graphql/errors.js';

export interface CronClockInput {
  readonly cron: string;
  readonly parameter_defaults?: Record<string, unknown> | null | undefined;
}

export interface IntervalClockInput {
  readonly interval: number;
  readonly parameter_defaults?: Record<string, unknown> | null | undefined;
}

const CRON_FIELD = /^[0-9A-Za-z*?/,#-]+$/;
const CRON_ALIASES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function isCron(text: string): boolean {
  const trimmed = text.trim();
  if (CRON_ALIASES.has(trimmed)) return true;
  const fields = trimmed.split(/\s+/);
  return (fields.length === 5 || fields.length === 6) && fields.every((field) => CRON_FIELD.test(field));
}

/** An IANA zone name as pendulum knows it; anything else is refused with Prefect Server's message. */
function checkedZone(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw badUserInput(`Invalid timezone provided for schedule: ${timezone}`);
  }
}

/** `now` on the wall clock of `timezone`, without offset (pendulum's naive ISO 8601). */
function wallClock(now: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '00';
  const micros = now.getUTCMilliseconds() === 0 ? '' : `.${String(now.getUTCMilliseconds()).padStart(3, '0')}000`;
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}${micros}`;
}

function invalidClock(clock: Record<string, JsonValue>): never {
  throw badUserInput(`Invalid clock provided for schedule: ${JSON.stringify(clock)}`);
}

/** The `{type: "Schedule", clocks}` JSON of a flow group's schedule. */
export function scheduleJson(
  cronClocks: readonly CronClockInput[],
  intervalClocks: readonly IntervalClockInput[],
  timezone: string | null | undefined,
  now: Date,
): JsonValue {
  const startDate: JsonValue = timezone ? { dt: wallClock(now, checkedZone(timezone)), tz: timezone } : null;
  const clocks: Record<string, JsonValue>[] = [];
  for (const input of cronClocks) {
    const clock: Record<string, JsonValue> = { type: 'CronClock', cron: input.cron };
    if (input.parameter_defaults !== undefined) clock['parameter_defaults'] = (input.parameter_defaults ?? null) as JsonValue;
    clock['start_date'] = startDate;
    if (!isCron(input.cron)) invalidClock(clock);
    clocks.push(clock);
  }
  for (const input of intervalClocks) {
    // Prefect Core keeps an IntervalClock's interval in microseconds.
    const clock: Record<string, JsonValue> = { type: 'IntervalClock', interval: input.interval * 1_000_000 };
    if (input.parameter_defaults && Object.keys(input.parameter_defaults).length > 0) clock['parameter_defaults'] = input.parameter_defaults as JsonValue;
    clock['start_date'] = startDate;
    if (input.interval <= 0) invalidClock(clock);
    clocks.push(clock);
  }
  return { type: 'Schedule', clocks };
}
