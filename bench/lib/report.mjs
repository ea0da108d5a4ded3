// @ts-check
/**
 * One row per measurement: what was measured, the figures, the baseline measured in the same
 * run, their ratio, and the target with whether it was met. Printed as a line and written to
 * RESULTS.md as a table, with a section for every missed target.
 */
import os from 'node:os';
import { ratio } from './measure.mjs';

/**
 * @typedef {object} Row
 * @property {string} id Benchmark number and letter, e.g. `2a`.
 * @property {string} what
 * @property {string} figures
 * @property {string} baseline
 * @property {number | null} ratio Null when there is none (nothing to compare).
 * @property {string} target
 * @property {boolean | null} met Null when not judged (quick mode, or not measured here).
 * @property {string[]} [missed] Why it missed and where the time goes (Markdown lines).
 * @property {string[]} [details] What the row measured beyond its figures, shown met or missed (Markdown lines).
 */

/** @param {Row} row */
export function verdict(row) {
  if (row.met === null) return 'not judged';
  return row.met ? 'met' : 'MISSED';
}

/** @param {Row} row */
export function formatLine(row) {
  const ratioText = row.ratio === null ? '' : ` | ratio ${ratio(row.ratio)}`;
  return `${row.id.padEnd(3)} ${row.what}: ${row.figures} | baseline: ${row.baseline}${ratioText} | target ${row.target}: ${verdict(row)}`;
}

/** @param {string} text */
function cell(text) {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The machine, for the report's header. */
export function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown CPU',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/**
 * @param {object} report
 * @param {Row[]} report.rows
 * @param {string} report.database What rows 1-3 and 5 ran on.
 * @param {string} report.date
 * @param {number} report.wallMs
 * @param {string[]} report.method One Markdown paragraph per benchmark.
 * @param {string[]} report.notes Anything not measured, and why.
 */
export function renderResults(report) {
  const m = machine();
  const lines = [
    '# Benchmark results',
    '',
    `Measured with \`npm run bench\` on ${report.date}, in ${(report.wallMs / 60_000).toFixed(1)} minutes.`,
    '',
    `- Machine: ${m.cores} cores (${m.model}), ${m.memoryGb} GB memory, ${m.platform}`,
    `- Node.js ${m.node}`,
    `- Database: ${report.database}`,
    '',
    'Every figure is compared with a baseline measured in the same run on the same machine; the ratio is what counts,',
    "not the absolute numbers (the machine may have been busy). Targets are the project's bar and are not lowered to fit.",
    '',
    '| # | measured | figures | baseline (same run) | ratio | target | result |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of report.rows) {
    lines.push(
      `| ${row.id} | ${cell(row.what)} | ${cell(row.figures)} | ${cell(row.baseline)} | ${row.ratio === null ? '' : ratio(row.ratio)} | ${cell(row.target)} | ${verdict(row)} |`,
    );
  }
  const missed = report.rows.filter((row) => row.met === false);
  lines.push('', '## Missed targets', '');
  if (missed.length === 0) lines.push('None: every target was met in this run.');
  for (const row of missed) {
    lines.push(`### ${row.id}: ${row.what}`, '', ...(row.missed ?? ['(no profile was taken)']), '');
  }
  const detailed = report.rows.filter((row) => row.details !== undefined);
  if (detailed.length > 0) lines.push('', '## Details', '');
  for (const row of detailed) lines.push(`### ${row.id}: ${row.what}`, '', ...(row.details ?? []), '');
  if (report.notes.length > 0) lines.push('', '## Not measured', '', ...report.notes.map((note) => `- ${note}`));
  lines.push('', '## How each row is measured', '', ...report.method.flatMap((paragraph) => [paragraph, '']));
  return `${lines.join('\n').trimEnd()}\n`;
}
