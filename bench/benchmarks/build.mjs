// @ts-check
/**
 * 6. Build: the wall time of the whole `npm test` from cold (turbo's cache bypassed) and warm
 * (everything cached). Full mode only: a cold run takes minutes.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ms, now, num } from '../lib/measure.mjs';
import { machine } from '../lib/report.mjs';

export const title = 'Build and test';
export const fullOnly = true;

export const method =
  '**6. Build.** `npm test` (turbo: lint, typecheck, test and the operations check of every package) at the repository ' +
  'root, wall time: cold is `npm test -- --force` (turbo ignores its cache and runs every task), warm is a second `npm test` ' +
  'right after it (every task cached). Both with `--continue` (a failing task does not stop the others) and `--summarize`; where the warm run misses, the tasks it did not take ' +
  "from the cache and their durations come from turbo's run summary. Row 6a judges the cold run against the 4-minute target on 2 cores and lists " +
  'the slowest test files and line coverage that `npm test` reported for it (`test-output/summary.json`).';

const ROOT = new URL('../..', import.meta.url).pathname;
/** Issue-level target: a cold `npm test` on a quiet 2-core machine. */
const COLD_TARGET_MS = 4 * 60_000;

/**
 * @param {string[]} args
 * @returns {Promise<{ ms: number, code: number, tail: string }>}
 */
function npmTest(args) {
  return new Promise((resolve, reject) => {
    const start = now();
    const child = spawn('npm', ['test', '--', ...args], {
      cwd: ROOT,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (/** @type {string} */ chunk) => {
      tail = (tail + chunk).slice(-4000);
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ ms: now() - start, code: code ?? 1, tail });
    });
  });
}

/**
 * The turbo run summaries written since `since` (npm test runs turbo twice: its phases): each
 * task with its cache status and duration.
 *
 * @param {number} since epoch ms
 * @returns {{ task: string, status: string, ms: number, exitCode: number }[]}
 */
function summariesSince(since) {
  const dir = join(ROOT, '.turbo', 'runs');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && statSync(join(dir, name)).mtimeMs >= since)
    .flatMap((name) => {
      const summary =
        /** @type {{ tasks?: { taskId: string, cache?: { status?: string }, execution?: { startTime?: number, endTime?: number, exitCode?: number } }[] }} */ (
          JSON.parse(readFileSync(join(dir, name), 'utf8'))
        );
      return (summary.tasks ?? []).map((task) => ({
        task: task.taskId,
        status: task.cache?.status ?? '?',
        ms: (task.execution?.endTime ?? 0) - (task.execution?.startTime ?? 0),
        exitCode: task.execution?.exitCode ?? 0,
      }));
    });
}

/**
 * What npm test wrote of its last run (scripts/test.mjs): totals and the slowest test files.
 *
 * @returns {{ passed: number, failed: number, skipped: number, coverage: string[], slowest: { file: string, ms: number }[] } | null}
 */
function testSummary() {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'test-output', 'summary.json'), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * @param {import('../run.mjs').BenchContext} ctx
 * @returns {Promise<import('../lib/report.mjs').Row[]>}
 */
export async function run(ctx) {
  ctx.log('  cold: npm test -- --force (minutes)');
  // The test script runs turbo with --continue already: a failing task does not cut the run short.
  const cold = await npmTest(['--force', '--summarize']);
  const coldTests = testSummary();
  ctx.log(`  cold: ${ms(cold.ms)}, exit ${cold.code}`);
  ctx.log('  warm: npm test');
  const warmStart = Date.now();
  const warm = await npmTest(['--summarize']);
  const tasks = summariesSince(warmStart);
  const misses = tasks.filter((task) => task.status !== 'HIT');
  const failed = tasks.filter((task) => task.exitCode !== 0).map((task) => task.task);
  const status = (/** @type {{ code: number }} */ run) => (run.code === 0 ? 'passed' : `FAILED, exit ${run.code}`);
  /** @type {import('../lib/report.mjs').Row} */
  const row = {
    id: '6',
    what: 'npm test, warm (everything cached) vs cold (--force), wall time',
    figures: `warm ${ms(warm.ms)} (${status(warm)}; ${tasks.length - misses.length}/${tasks.length} tasks cached)`,
    baseline: `cold ${ms(cold.ms)} (${status(cold)})`,
    ratio: warm.ms / cold.ms,
    target: 'warm < 10 s',
    // A tree that does not pass measures nothing, however fast it fails.
    met: cold.code === 0 && warm.code === 0 && warm.ms < 10_000,
  };
  /** @type {import('../lib/report.mjs').Row} */
  const coldRow = {
    id: '6a',
    what: 'npm test, cold (--force), wall time on this machine',
    figures: `cold ${ms(cold.ms)} (${status(cold)}${coldTests === null ? '' : `; ${num(coldTests.passed)} tests passed, ${num(coldTests.failed)} failed`})`,
    baseline: `${machine().cores} cores`,
    ratio: cold.ms / COLD_TARGET_MS,
    target: `cold < ${ms(COLD_TARGET_MS)} on 2 cores`,
    met: cold.code === 0 && cold.ms < COLD_TARGET_MS,
  };
  if (coldTests !== null) {
    coldRow.details = [
      `Line coverage: ${coldTests.coverage.join(', ')}. The slowest test files of the cold run (each from its first test to its last):`,
      '',
      ...coldTests.slowest.map((file) => `- ${file.file}: ${ms(file.ms)}`),
    ];
  }
  if (row.met === false && warm.code === 0 && cold.code === 0) {
    const slowest = [...misses].sort((a, b) => b.ms - a.ms).slice(0, 10);
    row.missed = [
      `The warm \`npm test\` took ${ms(warm.ms)} (target < 10 s). turbo's run summary of that warm run: ${num(misses.length)} of ${num(tasks.length)} tasks were not taken from the cache` +
        (slowest.length > 0 ? '; the slowest of them:' : '; the time went to starting npm, turbo and replaying the cached logs.'),
      '',
      ...slowest.map((task) => `- ${task.task}: ${ms(task.ms)} (${task.status})`),
    ];
  } else if (row.met === false) {
    const failing = warm.code !== 0 ? warm : cold;
    row.missed = [
      `\`npm test\` did not pass (cold: ${status(cold)}; warm: ${status(warm)}), so its times measure nothing. ` +
        `${failed.length > 0 ? `${failed.join(', ')} failed; turbo never caches a failed task, so every warm run repeats it. ` : ''}The output ended with:`,
      '',
      '```',
      failing.tail.trim().split('\n').slice(-15).join('\n'),
      '```',
    ];
  }
  return [coldRow, row];
}
