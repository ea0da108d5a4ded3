import { describe, expect, it } from 'vitest';
import { formatClock, formatDate, formatDateTime, formatDuration, formatRunDuration, InvalidArgumentError, runDuration, stateFromName } from '../src/index.js';

// The one duration format the CLI and the dashboard print (the README shows `35d 0h`).
describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [120.4, '120ms'],
    [999, '999ms'],
    [1000, '1s'],
    [4210, '4.2s'],
    [9_949, '9.9s'],
    [12_400, '12s'],
    [59_400, '59s'],
    [187_000, '3m 7s'],
    [3_720_000, '1h 2m 0s'],
    [3_612_000, '1h 0m 12s'],
    [90_061_000, '1d 1h'],
    [35 * 86_400_000 + 1_000, '35d 0h'],
    // A clock a little behind another: zero, not a negative duration.
    [-1, '0ms'],
    [-5, '0ms'],
    [850, '850ms'],
    [999.6, '1s'],
    [4200, '4.2s'],
    [4299, '4.2s'],
    [9999, '9.9s'],
    [10_000, '10s'],
    [59_999, '59s'],
    [125_000, '2m 5s'],
    [86_399_000, '23h 59m 59s'],
    [273_600_000, '3d 4h'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('refuses a duration that is not a finite number', () => {
    expect(() => formatDuration(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(InvalidArgumentError);
  });
});

describe('a run duration', () => {
  const now = new Date('2021-05-12T20:00:00Z');
  it('runs from the start to the end, or up to now while running; none before the start', () => {
    expect(runDuration('2021-05-12T19:59:00Z', '2021-05-12T19:59:30.5Z', now)).toBe(30_500);
    expect(runDuration('2021-05-12T19:59:00+00:00', null, now)).toBe(60_000);
    expect(runDuration(new Date('2021-05-12T19:00:00Z'), undefined, '2021-05-12T19:30:00Z')).toBe(1_800_000);
    expect(runDuration(null, null, now)).toBeNull();
    expect(runDuration('not a time', null, now)).toBeNull();
    expect(formatRunDuration('2021-05-12T19:59:00Z', undefined, now)).toBe('1m 0s');
    expect(formatRunDuration(undefined, undefined, now)).toBeNull();
  });

  it('reads an API timestamp by the API rule (no offset is UTC), not by Date', () => {
    expect(runDuration('2021-05-12 19:59:00', '2021-05-12T20:00:00+00:00', now)).toBe(60_000);
  });
});

describe('times', () => {
  const date = new Date('2021-05-12T07:05:09.083Z');
  it('writes a date, a clock and both, in UTC on request', () => {
    expect(formatDate(date, { utc: true })).toBe('2021-05-12');
    expect(formatClock(date, { utc: true })).toBe('07:05:09');
    expect(formatClock(date, { utc: true, milliseconds: true })).toBe('07:05:09.083');
    expect(formatDateTime(date, { utc: true })).toBe('2021-05-12 07:05:09 UTC');
  });
});

describe('stateFromName', () => {
  it('labels and colours a state name as Prefect does; no state reads Pending, an unknown name is kept', () => {
    expect(stateFromName('Success').type).toBe('Success');
    expect(stateFromName('Success').color).toBe('#28a745');
    expect(stateFromName('Success')).toBe(stateFromName('Success'));
    expect(stateFromName(null).type).toBe('Pending');
    expect(stateFromName(null).message).toBe('A state for this flow run is not yet available.');
    expect(stateFromName('Flaky').type).toBe('Flaky');
    expect(stateFromName('Flaky').isFinished()).toBe(false);
  });
});
