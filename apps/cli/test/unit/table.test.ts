// Table fitting: visible widths (colour codes and grapheme clusters), cuts ending in `…`, and
// the stages in which columns give up room: messages, then ids, then messages left out, names last.
import { describe, expect, it } from 'vitest';
import { createPalette } from '../../src/output/color.js';
import { ID_SHRINK, MESSAGE_SHRINK, NAME_SHRINK, renderTable, stripAnsi, terminalWidth, truncate, visibleLength, type Column } from '../../src/output/table.js';

const plain = createPalette(false);
const coloured = createPalette(true);

const COLUMNS: readonly Column[] = [
  { header: 'NAME', shrink: NAME_SHRINK },
  { header: 'ID', shrink: ID_SHRINK },
  { header: 'STATE' },
  { header: 'TASKS', align: 'right' },
  { header: 'MESSAGE', shrink: MESSAGE_SHRINK },
];
const ID = '4c0101af-c6bb-4b96-8661-63a5bbfb5596';
const ROWS = [
  ['hitchhiking-dolphin', ID, 'Success', '3', 'All reference tasks succeeded.'],
  ['woodoo-leopard', '8e445d74-9ca6-425b-98e5-72754b7ea174', 'Failed', '12', 'Some reference tasks failed.'],
] as const;

const widest = (lines: readonly string[]): number => Math.max(...lines.map((line) => visibleLength(line)));

describe('visible width', () => {
  it('leaves colour codes out and counts a grapheme cluster as one', () => {
    expect(stripAnsi(coloured.hex('#28a745', 'Success'))).toBe('Success');
    expect(visibleLength(coloured.red('error'))).toBe(5);
    expect(visibleLength('👩‍👩‍👧 family')).toBe(8);
  });

  it('cuts to the width with `…`, and drops the colour of a cut cell', () => {
    expect(truncate('woodoo-leopard', 20)).toBe('woodoo-leopard');
    expect(truncate('woodoo-leopard', 14)).toBe('woodoo-leopard');
    expect(truncate('woodoo-leopard', 8)).toBe('woodoo-…');
    expect(truncate(coloured.green('woodoo-leopard'), 8)).toBe('woodoo-…');
    expect(truncate('woodoo', 0)).toBe('');
  });
});

describe('terminalWidth', () => {
  const io = (stdout: { isTTY?: boolean; columns?: number }, env: Record<string, string> = {}) => ({
    stdout: { write: () => true, ...stdout },
    stderr: { write: () => true },
    env,
  });

  it("is the terminal's width, else COLUMNS, else none (piped output is not cut)", () => {
    expect(terminalWidth(io({ isTTY: true, columns: 120 }))).toBe(120);
    expect(terminalWidth(io({ isTTY: true, columns: 0 }, { COLUMNS: '90' }))).toBe(90);
    expect(terminalWidth(io({}, { COLUMNS: '72' }))).toBe(72);
    expect(terminalWidth(io({}))).toBeNull();
    expect(terminalWidth(io({}, { COLUMNS: 'wide' }))).toBeNull();
    expect(terminalWidth(io({}, { COLUMNS: '-3' }))).toBeNull();
  });
});

describe('renderTable', () => {
  it('pads on visible width, aligns right where asked, dims the header and leaves no trailing spaces', () => {
    const lines = renderTable(
      [{ header: 'NAME' }, { header: 'N', align: 'right' }, { header: 'STATE' }],
      [
        ['a', '7', coloured.green('Success')],
        ['longer', '12', 'Failed'],
      ],
      { width: null, palette: plain },
    );
    expect(lines).toEqual(['NAME     N  STATE', 'a        7  ' + coloured.green('Success'), 'longer  12  Failed']);
    const dimmed = renderTable([{ header: 'NAME' }], [['a']], { width: null, palette: coloured });
    expect(dimmed[0]).toBe(coloured.dim('NAME'));
  });

  it('never cuts piped output (no width)', () => {
    const lines = renderTable(COLUMNS, ROWS, { width: null, palette: plain });
    expect(lines[1]).toContain(ID);
    expect(lines[1]).toContain('All reference tasks succeeded.');
  });

  it('leaves a table that fits as it is', () => {
    const wide = renderTable(COLUMNS, ROWS, { width: 200, palette: plain });
    expect(wide).toEqual(renderTable(COLUMNS, ROWS, { width: null, palette: plain }));
  });

  it('cuts messages first (down to 12), then ids (down to 8 and `…`), then leaves messages out, then cuts names (down to 8)', () => {
    const at = (width: number): string[] => renderTable(COLUMNS, ROWS, { width, palette: plain });
    // Just too wide: only the message gives room, the id stays whole.
    expect(at(100)[1]).toBe(`hitchhiking-dolphin  ${ID}  Success      3  All reference tasks succ…`);
    expect(at(90)[1]).toBe(`hitchhiking-dolphin  ${ID}  Success      3  All reference …`);
    // Messages at 12: the ids give room next, as much as needed.
    expect(at(80)[1]).toBe('hitchhiking-dolphin  4c0101af-c6bb-4b96-8661-63a5…  Success      3  All referen…');
    expect(at(60)[1]).toBe('hitchhiking-dolphin  4c0101af…  Success      3  All referen…');
    // No room for a 12-character message: the column is left out, header and gap with it.
    expect(at(50)).toEqual([
      'NAME                 ID         STATE    TASKS',
      'hitchhiking-dolphin  4c0101af…  Success      3',
      'woodoo-leopard       8e445d74…  Failed      12',
    ]);
    // Names are cut last.
    expect(at(45)[1]).toBe('hitchhiking-dolph…  4c0101af…  Success      3');
    expect(at(40)[1]).toBe('hitchhiking-…  4c0101af…  Success      3');
    // Too narrow for anything: names stop at 8, the other columns are never cut.
    expect(at(10)).toEqual(['NAME      ID         STATE    TASKS', 'hitchhi…  4c0101af…  Success      3', 'woodoo-…  8e445d74…  Failed      12']);
    for (const width of [100, 90, 80, 60, 50, 45, 40]) expect(widest(at(width))).toBeLessThanOrEqual(width);
  });

  it('fits within an indent', () => {
    const lines = renderTable(COLUMNS, ROWS, { width: 60, palette: plain, indent: '    ' });
    for (const line of lines) {
      expect(line.startsWith('    ')).toBe(true);
      expect(visibleLength(line)).toBeLessThanOrEqual(60);
    }
  });
});
