// @ts-check
/**
 * `npm test`: every check of every package, in two phases sized for a small machine, then one
 * closing line with the totals.
 *
 * 1. lint, types, formatting, the operations check and each package's tests (`vitest run` without the
 *    `*.e2e.test.ts` files), as turbo schedules them.
 * 2. The heavy end-to-end files (pack-and-install, kill-and-resume, browser journeys) and the
 *    quick benchmark, one task at a time: alone, they neither slow nor are slowed by phase 1.
 *
 * Each vitest run leaves its results and line coverage in the package's `test-output/`
 * (turbo restores them with a cached task), which this script adds up. Arguments are passed
 * to both turbo runs (`npm test -- --force` runs everything again).
 *
 *   node scripts/test.mjs [turbo args...]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import libCoverage from 'istanbul-lib-coverage';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const turboArgs = process.argv.slice(2);

/** The workspaces, read from the root manifest's globs (`packages/*`, `apps/*`). */
function workspaces() {
  const manifest = /** @type {{ workspaces: string[] }} */ (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));
  /** @type {{ dir: string, name: string }[]} */
  const found = [];
  for (const glob of manifest.workspaces) {
    const parent = join(ROOT, glob.replace(/\/\*$/, ''));
    for (const entry of listDirs(parent)) {
      const file = join(parent, entry, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = /** @type {{ name: string }} */ (JSON.parse(readFileSync(file, 'utf8')));
      found.push({ dir: join(parent, entry), name: pkg.name });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** @param {string} dir */
function listDirs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

/**
 * Runs turbo with the given tasks, streaming its output.
 *
 * @param {string[]} args
 * @returns {Promise<number>} its exit code
 */
function turbo(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/turbo/bin/turbo'), 'run', ...args, ...turboArgs], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

/**
 * @typedef {object} VitestFile
 * @property {string} name
 * @property {'passed' | 'failed'} status
 * @property {number} startTime
 * @property {number} endTime
 * @property {{ status: string }[]} assertionResults
 */

/**
 * @param {string} file
 * @returns {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number, testResults: VitestFile[] } | null}
 */
function readReport(file) {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8'));
}

const REPORTS = ['vitest.json', 'vitest-e2e.json'];
const COVERAGE = ['coverage', 'coverage-e2e'];

const started = Date.now();
const packages = workspaces();
// A report left by an earlier run would be counted as this one's: turbo puts back the
// reports of the tasks it takes from its cache.
for (const pkg of packages) {
  for (const report of REPORTS) rmSync(join(pkg.dir, 'test-output', report), { force: true });
  for (const dir of COVERAGE) rmSync(join(pkg.dir, 'test-output', dir), { recursive: true, force: true });
}

const phase1 = await turbo(['lint', 'typecheck', 'test', 'check:operations', 'typecheck:scripts', 'format:check', '--continue']);
const phase2 = await turbo(['test:e2e', 'bench:quick', '--continue', '--concurrency=1']);

let passed = 0;
let failed = 0;
let skipped = 0;
/** @type {{ file: string, ms: number }[]} */
const files = [];
/** @type {string[]} */
const coverage = [];
for (const pkg of packages) {
  const map = libCoverage.createCoverageMap({});
  let measured = false;
  for (const report of REPORTS) {
    const result = readReport(join(pkg.dir, 'test-output', report));
    if (result === null) continue;
    passed += result.numPassedTests;
    failed += result.numFailedTests;
    skipped += result.numPendingTests + result.numTodoTests;
    for (const file of result.testResults) files.push({ file: relative(ROOT, file.name), ms: file.endTime - file.startTime });
  }
  for (const dir of COVERAGE) {
    const file = join(pkg.dir, 'test-output', dir, 'coverage-final.json');
    if (!existsSync(file)) continue;
    map.merge(JSON.parse(readFileSync(file, 'utf8')));
    measured = true;
  }
  if (measured) coverage.push(`${pkg.name.replace('@runview/', '')} ${map.getCoverageSummary().lines.pct.toFixed(1)}%`);
}

const slowest = files.sort((a, b) => b.ms - a.ms).slice(0, 10);
const seconds = Math.round((Date.now() - started) / 1000);
const wall = `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
// For the benchmark's build row: the figures of this run, read back after it.
mkdirSync(join(ROOT, 'test-output'), { recursive: true });
writeFileSync(
  join(ROOT, 'test-output', 'summary.json'),
  `${JSON.stringify({ passed, failed, skipped, wallMs: Date.now() - started, coverage, slowest }, null, 2)}\n`,
);

process.stdout.write('\nslowest test files:\n');
for (const { file, ms } of slowest) process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}\n`);
const ok = phase1 === 0 && phase2 === 0 && failed === 0;
process.stdout.write(
  `\nnpm test: ${ok ? 'passed' : 'FAILED'} in ${wall}; vitest: ${passed} passed, ${failed} failed, ${skipped} skipped; line coverage: ${coverage.join(', ')}\n`,
);
process.exitCode = ok ? 0 : 1;
