// The text formatters: Prefect's log line (`HH:MM:SS | LEVEL   | message`, the date where it
// changes), clock and date times in local time or UTC, the `--json` timestamp, and small values.
import { describe, expect, it } from 'vitest';
import { describeStack } from '../../src/errors.js';
import { jsonTime, requiredJsonTime } from '../../src/json/time.js';
import { createPalette } from '../../src/output/color.js';
import { fieldLines, formatCount, formatJsonInline, formatList, plural } from '../../src/output/format.js';
import { formatLogLine, LogClock, paintLevel } from '../../src/output/log-line.js';
import { formatClock, formatDate, formatDateTime } from '@runview/core';
import { formatOptionalDateTime } from '../../src/output/time.js';

const plain = createPalette(false);
const on = createPalette(true);
const utc = { utc: true };

describe('times', () => {
  const date = new Date('1978-03-08T22:30:05Z');

  it('print the clock, the date and both, in UTC with a suffix', () => {
    expect(formatClock(date, utc)).toBe('22:30:05');
    expect(formatDate(date, utc)).toBe('1978-03-08');
    expect(formatDateTime(date, utc)).toBe('1978-03-08 22:30:05 UTC');
    expect(formatOptionalDateTime(date, utc)).toBe('1978-03-08 22:30:05 UTC');
    expect(formatOptionalDateTime(null, utc)).toBe('-');
  });

  it('print local time without a suffix (the tests run with TZ=UTC)', () => {
    expect(process.env['TZ']).toBe('UTC');
    expect(formatDateTime(date, { utc: false })).toBe('1978-03-08 22:30:05');
    expect(formatClock(new Date('2021-01-02T03:04:05Z'), { utc: false })).toBe('03:04:05');
  });
});

describe('LogClock', () => {
  it('stamps the date on the first line and where it changes, the clock alone otherwise', () => {
    const clock = new LogClock(utc);
    const stamps = ['1978-03-08T22:30:00Z', '1978-03-08T22:30:01Z', '1978-04-12T22:59:59Z', '1978-04-12T23:00:00Z', '1978-04-13T00:00:00Z'].map((time) =>
      clock.stamp(new Date(time)),
    );
    expect(stamps).toEqual(['1978-03-08 22:30:00', '22:30:01', '1978-04-12 22:59:59', '23:00:00', '1978-04-13 00:00:00']);
  });

  it('stamps the date on every line with --timestamps full', () => {
    const clock = new LogClock(utc, 'full');
    expect(clock.stamp(new Date('1978-03-08T22:30:00Z'))).toBe('1978-03-08 22:30:00');
    expect(clock.stamp(new Date('1978-03-08T22:30:01Z'))).toBe('1978-03-08 22:30:01');
  });
});

describe('formatLogLine', () => {
  const log = { timestamp: new Date('1978-03-08T22:30:00Z'), level: 20, levelName: 'INFO', message: "Beginning Flow run for 'radio_show'" };

  it("is Prefect's format, the level padded to 7", () => {
    expect(formatLogLine(log, { ...utc, palette: plain })).toBe("22:30:00 | INFO    | Beginning Flow run for 'radio_show'");
    expect(formatLogLine({ ...log, level: 50, levelName: 'CRITICAL' }, { ...utc, palette: plain })).toBe(
      "22:30:00 | CRITICAL | Beginning Flow run for 'radio_show'",
    );
  });

  it('takes a label instead of the level name, an indent, and a clock that adds the date', () => {
    const clock = new LogClock(utc);
    expect(formatLogLine(log, { ...utc, palette: plain, clock, label: 'STATE', indent: '  ' })).toBe(
      "  1978-03-08 22:30:00 | STATE   | Beginning Flow run for 'radio_show'",
    );
    expect(formatLogLine(log, { ...utc, palette: plain, clock, indent: '  ' })).toBe("  22:30:00 | INFO    | Beginning Flow run for 'radio_show'");
  });

  it('lines a multi-line message (a traceback) up under the message', () => {
    const line = formatLogLine(
      { ...log, level: 40, levelName: 'ERROR', message: 'Traceback:\n  File "flow.py"\r\nValueError' },
      { ...utc, palette: plain, indent: '  ' },
    );
    expect(line.split('\n')).toEqual(['  22:30:00 | ERROR   | Traceback:', `  ${' '.repeat(21)}  File "flow.py"`, `  ${' '.repeat(21)}ValueError`]);
    // The continuation's text starts in the message's column.
    expect(line.split('\n').map((part) => part.slice(23))).toEqual(['Traceback:', '  File "flow.py"', 'ValueError']);
  });

  it('colours by level: dim debug, plain info, yellow warnings, red errors, bold red critical; the message from warnings up', () => {
    expect(paintLevel(on, 10, 'x')).toBe(on.dim('x'));
    expect(paintLevel(on, 20, 'x')).toBe('x');
    expect(paintLevel(on, 30, 'x')).toBe(on.yellow('x'));
    expect(paintLevel(on, 40, 'x')).toBe(on.red('x'));
    expect(paintLevel(on, 50, 'x')).toBe(on.bold(on.red('x')));
    expect(formatLogLine({ ...log, level: 30, levelName: 'WARNING' }, { ...utc, palette: on })).toBe(
      `22:30:00 | ${on.yellow('WARNING')} | ${on.yellow(log.message)}`,
    );
    expect(formatLogLine(log, { ...utc, palette: on })).toBe(`22:30:00 | INFO    | ${log.message}`);
  });
});

describe('--json timestamps', () => {
  it('are ISO 8601 in UTC with microseconds, whatever form the API sent', () => {
    expect(jsonTime('2021-05-12T17:59:56.383629+00:00')).toBe('2021-05-12T17:59:56.383629Z');
    expect(jsonTime('2021-05-12T19:59:56.3+02:00')).toBe('2021-05-12T17:59:56.300000Z');
    expect(jsonTime('2021-05-12T17:59:56Z')).toBe('2021-05-12T17:59:56.000000Z');
    expect(jsonTime(new Date('2021-05-12T17:59:56.383Z'))).toBe('2021-05-12T17:59:56.383000Z');
    expect(requiredJsonTime(new Date('2021-05-12T17:59:56Z'))).toBe('2021-05-12T17:59:56.000000Z');
  });

  it('keep null, and an unparseable string as sent', () => {
    expect(jsonTime(null)).toBeNull();
    expect(jsonTime(undefined)).toBeNull();
    expect(jsonTime('last tuesday')).toBe('last tuesday');
  });
});

describe('small values', () => {
  it('lists, JSON inline, counts and plurals', () => {
    expect(formatList(['a', 'b'])).toBe('a, b');
    expect(formatList([])).toBe('-');
    expect(formatJsonInline({ x: 1 })).toBe('{"x":1}');
    expect(formatJsonInline({})).toBe('-');
    expect(formatJsonInline([])).toBe('-');
    expect(formatJsonInline(null)).toBe('-');
    expect(formatJsonInline(undefined)).toBe('-');
    expect(formatJsonInline('text')).toBe('"text"');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(plural(1, 'task run')).toBe('1 task run');
    expect(plural(1234, 'task run')).toBe('1,234 task runs');
    expect(plural(2, 'child', 'children')).toBe('2 children');
  });

  it('label/value lines with the labels padded to one width', () => {
    expect(
      fieldLines(
        [
          ['State', 'Success'],
          ['Project', 'default'],
        ],
        plain,
      ),
    ).toEqual(['State    Success', 'Project  default']);
    expect(fieldLines([['State', 'Success']], on)).toEqual([`${on.dim('State')}  Success`]);
  });
});

describe('--debug stacks', () => {
  it('print the error and every cause below it', () => {
    const root = new Error('connect ECONNREFUSED 127.0.0.1:1', { cause: { code: 'ECONNREFUSED' } });
    const text = describeStack(new TypeError('fetch failed', { cause: root }));
    expect(text).toMatch(/^TypeError: fetch failed\n/);
    expect(text).toContain('\nCaused by: Error: connect ECONNREFUSED 127.0.0.1:1\n');
    expect(text.endsWith('\nCaused by: {"code":"ECONNREFUSED"}')).toBe(true);
    expect(describeStack('plain text')).toBe('"plain text"');
  });
});
