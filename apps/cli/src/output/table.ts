/**
 * Plain-text tables that fit the terminal: columns are padded on their visible width
 * (colour codes take no room), and when the row is too wide the flexible columns (names,
 * messages) give up room first, ending in `…`. Piped output is never cut.
 */
import type { Io } from '../io.js';
import type { Palette } from './color.js';

/** One column of a table. */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** May be shortened to fit the terminal. */
  readonly flexible?: boolean;
}

const ESCAPE = String.fromCharCode(27);
const ANSI = new RegExp(`${ESCAPE}\\[[0-9;]*m`, 'g');
const GAP = '  ';
const MIN_FLEXIBLE = 8;

/** Removes colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

const graphemes = new Intl.Segmenter();

/** The characters of a text as a person counts them (an emoji with modifiers is one). */
function characters(text: string): string[] {
  return Array.from(graphemes.segment(text), (part) => part.segment);
}

/** The width a text takes on screen (characters, colour codes excluded). */
export function visibleLength(text: string): number {
  return characters(stripAnsi(text)).length;
}

/** Cuts `text` to `width` visible characters, ending in `…` when it was cut. */
export function truncate(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  if (width <= 0) return '';
  // A cut cell loses its colour: cutting through escape sequences would corrupt the line.
  return characters(stripAnsi(text)).slice(0, Math.max(0, width - 1)).join('') + '…';
}

/** The width to fit output to: the terminal's, `COLUMNS` when set, otherwise none. */
export function terminalWidth(io: Io): number | null {
  if (io.stdout.isTTY === true && typeof io.stdout.columns === 'number' && io.stdout.columns > 0) return io.stdout.columns;
  const columns = Number(io.env['COLUMNS']);
  return Number.isInteger(columns) && columns > 0 ? columns : null;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const room = Math.max(0, width - visibleLength(text));
  return align === 'right' ? ' '.repeat(room) + text : text + ' '.repeat(room);
}

/** Shrinks flexible columns, widest first, until the row fits `maxWidth`. */
function fitWidths(columns: readonly Column[], widths: number[], maxWidth: number): number[] {
  const fitted = [...widths];
  const total = (): number => fitted.reduce((sum, width) => sum + width, 0) + GAP.length * (fitted.length - 1);
  let excess = total() - maxWidth;
  while (excess > 0) {
    let widest = -1;
    columns.forEach((column, index) => {
      const width = fitted[index] ?? 0;
      if (column.flexible === true && width > MIN_FLEXIBLE && (widest < 0 || width > (fitted[widest] ?? 0))) widest = index;
    });
    if (widest < 0) break;
    const current = fitted[widest] ?? 0;
    const next = Math.max(MIN_FLEXIBLE, current - excess);
    fitted[widest] = next;
    excess -= current - next;
  }
  return fitted;
}

/** Renders a header line and one line per row. */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  options: { readonly width: number | null; readonly palette: Palette; readonly indent?: string },
): string[] {
  const indent = options.indent ?? '';
  let widths = columns.map((column, index) => Math.max(visibleLength(column.header), ...rows.map((row) => visibleLength(row[index] ?? ''))));
  if (options.width !== null) widths = fitWidths(columns, widths, options.width - indent.length);
  const line = (cells: readonly string[], style: (text: string) => string = (text) => text): string =>
    indent +
    columns
      .map((column, index) => {
        const width = widths[index] ?? 0;
        const cell = truncate(cells[index] ?? '', width);
        // The last left-aligned cell is not padded: no trailing spaces.
        return index === columns.length - 1 && column.align !== 'right' ? style(cell) : style(pad(cell, width, column.align ?? 'left'));
      })
      .join(GAP);
  return [line(columns.map((column) => column.header), options.palette.dim), ...rows.map((row) => line(row))];
}
