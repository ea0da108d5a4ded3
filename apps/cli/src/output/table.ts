/**
 * Plain-text tables that fit the terminal: columns are padded on their visible width
 * (colour codes take no room), and when the row is too wide columns give up room in stages,
 * ending in `…`: messages first, then ids (a shortened uuid still tells runs apart), then
 * messages are left out, names are cut last. Piped output is never cut.
 */
import type { Io } from '../io.js';
import type { Palette } from './color.js';

/** A width a column may be cut to (0: left out), and when: lower stages give up room first. */
export interface ShrinkStage {
  readonly stage: number;
  readonly width: number;
}

/** One column of a table. */
export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
  /** How the column may be cut to fit the terminal; never when absent. */
  readonly shrink?: readonly ShrinkStage[];
}

/** Messages: the first to give room, to 12 characters, then (after the ids) left out. */
export const MESSAGE_SHRINK: readonly ShrinkStage[] = [
  { stage: 1, width: 12 },
  { stage: 3, width: 0 },
];
/** Ids: cut to 8 characters and `…` before a name is cut. */
export const ID_SHRINK: readonly ShrinkStage[] = [{ stage: 2, width: 9 }];
/** Names: cut last, when messages and ids have given all they can. */
export const NAME_SHRINK: readonly ShrinkStage[] = [{ stage: 4, width: 8 }];

const ESCAPE = String.fromCharCode(27);
const ANSI = new RegExp(`${ESCAPE}\\[[0-9;]*m`, 'g');
const GAP = '  ';

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
  return (
    characters(stripAnsi(text))
      .slice(0, Math.max(0, width - 1))
      .join('') + '…'
  );
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

/** Shrinks columns stage by stage (widest first within a stage) until the row fits `maxWidth`. */
function fitWidths(columns: readonly Column[], widths: number[], maxWidth: number): number[] {
  const fitted = [...widths];
  let excess = fitted.reduce((sum, width) => sum + width, 0) + GAP.length * (fitted.length - 1) - maxWidth;
  const stages = [...new Set(columns.flatMap((column) => (column.shrink ?? []).map((step) => step.stage)))].sort((a, b) => a - b);
  for (const stage of stages) {
    const floor = (index: number): number | undefined => columns[index]?.shrink?.find((step) => step.stage === stage)?.width;
    while (excess > 0) {
      let widest = -1;
      fitted.forEach((width, index) => {
        const min = floor(index);
        if (min !== undefined && width > min && (widest < 0 || width > (fitted[widest] ?? 0))) widest = index;
      });
      if (widest < 0) break;
      const current = fitted[widest] ?? 0;
      const min = floor(widest) ?? current;
      // A column cut to 0 is left out, and its gap with it.
      const next = min === 0 ? 0 : Math.max(min, current - excess);
      fitted[widest] = next;
      excess -= current - next + (next === 0 ? GAP.length : 0);
    }
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
  const shown = columns.map((_, index) => index).filter((index) => (widths[index] ?? 0) > 0);
  const last = shown.at(-1);
  const line = (cells: readonly string[], style: (text: string) => string = (text) => text): string =>
    indent +
    shown
      .map((index) => {
        const column = columns[index];
        const width = widths[index] ?? 0;
        const cell = truncate(cells[index] ?? '', width);
        // The last left-aligned cell is not padded: no trailing spaces.
        return index === last && column?.align !== 'right' ? style(cell) : style(pad(cell, width, column?.align ?? 'left'));
      })
      .join(GAP);
  return [
    line(
      columns.map((column) => column.header),
      options.palette.dim,
    ),
    ...rows.map((row) => line(row)),
  ];
}
