import picocolors from 'picocolors';
import type { SchemaChange } from './changes.js';
import type { DriftReport, FailOn } from './report.js';

/** How {@link formatReport} renders. */
export interface FormatOptions {
  /** ANSI colours (for a terminal); off by default. */
  readonly color?: boolean;
  /** The threshold the verdict line reflects; `breaking` by default. */
  readonly failOn?: FailOn;
  /** List every change, including safe ones and those no shipped operation uses. */
  readonly all?: boolean;
}

/**
 * A short plain-text table of a report: a verdict line, the broken operations with the
 * field at fault, then the breaking and dangerous changes to what shipped operations use.
 */
export function formatReport(report: DriftReport, options: FormatOptions = {}): string {
  const c = picocolors.createColors(options.color ?? false);
  const failOn = options.failOn ?? 'breaking';
  const { summary } = report;
  const lines: string[] = [];

  const verdict = report.ok(failOn) ? c.green('✔ pass') : c.red('✖ fail');
  lines.push(
    `${c.bold(verdict)} ${report.target} (fail on ${failOn}): ${plural(summary.brokenOperations, 'broken operation')} of ${summary.operationsChecked}, ` +
      `${summary.breaking} breaking (${summary.breakingUsed} used), ${summary.dangerous} dangerous (${summary.dangerousUsed} used), ${summary.safe} safe`,
  );

  if (report.brokenOperations.length > 0) {
    lines.push('', c.bold('Broken operations'));
    const rows = report.brokenOperations.flatMap((broken) => broken.errors.map((error) => [c.red(broken.operation), error.path ?? '-', error.message]));
    lines.push(...table(rows));
  }

  const listed = report.changes.filter((change) => options.all === true || (change.criticality !== 'safe' && change.usedByOperations.length > 0));
  if (listed.length > 0) {
    lines.push('', c.bold('Changes'));
    const paint: Record<SchemaChange['criticality'], (text: string) => string> = { breaking: c.red, dangerous: c.yellow, safe: c.green };
    const rows = listed.map((change) => [
      paint[change.criticality](change.criticality),
      change.path ?? '-',
      change.usedByOperations.length > 0 ? change.usedByOperations.join(', ') : c.dim('unused'),
      change.message,
    ]);
    lines.push(...table(rows));
  }
  const hidden = report.changes.length - listed.length;
  if (hidden > 0) lines.push('', c.dim(`${plural(hidden, 'other change')} touch nothing the shipped operations use.`));
  return lines.join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

// Colour codes take no room on screen: pad on the visible text.
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function visibleLength(text: string): number {
  return text.replace(ansi, '').length;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, visibleLength(cell))));
  return rows.map(
    (row) => '  ' + row.map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - visibleLength(cell)))).join('  '),
  );
}
