// When the output is coloured (--no-color, NO_COLOR, FORCE_COLOR, TERM=dumb, a terminal), and
// Prefect's hex state colours as 24-bit sequences.
import { STATE_TYPE_NAMES, type StateTypeName, type TaskRunStateCounts } from '@runview/core';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/io.js';
import { colorEnabled, createPalette, hexToRgb } from '../../src/output/color.js';
import { paintState, paintStateCounts, paintStateName, paintStateWithMessage, parseStateName, stateColor } from '../../src/output/state.js';

function io(env: Record<string, string>, isTTY: boolean): Io {
  return { stdout: { write: () => true, isTTY }, stderr: { write: () => true }, env };
}

describe('colorEnabled', () => {
  it.each([
    // [option, env, terminal, coloured]
    [true, {}, true, true],
    [true, {}, false, false],
    [false, {}, true, false],
    [false, { FORCE_COLOR: '1' }, true, false],
    [true, { NO_COLOR: '1' }, true, false],
    [true, { NO_COLOR: '' }, true, true],
    [true, { NO_COLOR: '1', FORCE_COLOR: '1' }, false, false],
    [true, { FORCE_COLOR: '1' }, false, true],
    [true, { FORCE_COLOR: '' }, false, true],
    [true, { FORCE_COLOR: 'true' }, false, true],
    [true, { FORCE_COLOR: '0' }, true, false],
    [true, { FORCE_COLOR: 'false' }, true, false],
    [true, { FORCE_COLOR: ' No ' }, true, false],
    [true, { TERM: 'dumb' }, true, false],
    [true, { TERM: 'dumb', FORCE_COLOR: '1' }, false, true],
    [true, { TERM: 'xterm-256color' }, true, true],
  ] as const)('option %s, env %j, terminal %s: %s', (option, env, terminal, expected) => {
    expect(colorEnabled(io(env, terminal), option)).toBe(expected);
  });
});

describe('palette', () => {
  it('renders hex colours as 24-bit foreground sequences, and nothing when off', () => {
    expect(hexToRgb('#28a745')).toEqual([40, 167, 69]);
    expect(hexToRgb('28A745')).toEqual([40, 167, 69]);
    expect(hexToRgb('#fff')).toBeNull();
    expect(createPalette(true).hex('#28a745', 'Success')).toBe('\x1b[38;2;40;167;69mSuccess\x1b[39m');
    // Not a colour: the text as it is.
    expect(createPalette(true).hex('green', 'Success')).toBe('Success');
    const off = createPalette(false);
    expect(off.enabled).toBe(false);
    for (const style of [off.bold, off.dim, off.red, off.green, off.yellow, off.cyan]) expect(style('x')).toBe('x');
    expect(off.hex('#28a745', 'Success')).toBe('Success');
  });
});

describe('states', () => {
  const on = createPalette(true);
  const off = createPalette(false);

  it("takes Prefect's colour for a state name, grey for an unknown one", () => {
    expect(stateColor('Success')).toBe('#28a745');
    expect(stateColor('Exploded')).toBe(stateColor(null));
    expect(paintStateName(on, 'Success')).toBe('\x1b[38;2;40;167;69mSuccess\x1b[39m');
    // A run without a state reads as Prefect Core reads it, and as the dashboard shows it.
    expect(paintStateName(off, null)).toBe('Pending');
    expect(paintStateName(off, '')).toBe('Pending');
    expect(paintStateName(on, 'Exploded')).toBe(on.hex(stateColor('Exploded'), 'Exploded'));
    expect(paintState(off, { type: 'Running', color: '#27b1ff' })).toBe('Running');
    expect(paintStateWithMessage(off, { type: 'Failed', color: '#eb0000', message: 'Some reference tasks failed.' })).toBe(
      'Failed: Some reference tasks failed.',
    );
    expect(paintStateWithMessage(off, { type: 'Failed', color: '#eb0000', message: null })).toBe('Failed');
  });

  it("counts states in Prefect's order, and those without a known state", () => {
    const counts = (found: Partial<Record<StateTypeName, number>>, other = 0): TaskRunStateCounts => {
      const byState = Object.fromEntries(STATE_TYPE_NAMES.map((name) => [name, found[name] ?? 0])) as Record<StateTypeName, number>;
      return { total: Object.values(byState).reduce((sum, count) => sum + count, other), byState, other };
    };
    expect(paintStateCounts(off, counts({ Failed: 3, Success: 47 }))).toBe('47 Success, 3 Failed');
    expect(paintStateCounts(off, counts({ Failed: 3, Success: 47 }, 2))).toBe('47 Success, 3 Failed, 2 without a known state');
    expect(paintStateCounts(off, counts({}))).toBe('none');
  });

  it('reads a state name from the command line whatever its case', () => {
    expect(parseStateName('failed')).toBe('Failed');
    expect(parseStateName(' RUNNING ')).toBe('Running');
    expect(parseStateName('Exploded')).toBeNull();
  });
});
