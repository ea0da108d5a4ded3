// @ts-check
/**
 * Small measuring helpers: a monotonic clock, medians and percentiles, number formatting, and
 * running a child process that answers with one JSON line.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Milliseconds on a monotonic clock. */
export function now() {
  return performance.now();
}

/**
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ value: T, ms: number }>}
 */
export async function timed(fn) {
  const start = now();
  const value = await fn();
  return { value, ms: now() - start };
}

/**
 * The p-th percentile (0..100) by nearest rank.
 *
 * @param {readonly number[]} values
 * @param {number} p
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return /** @type {number} */ (sorted[rank]);
}

/** @param {readonly number[]} values */
export function median(values) {
  return percentile(values, 50);
}

/**
 * A number with thousands separators and at most `digits` decimals.
 *
 * @param {number} value
 * @param {number} [digits]
 */
export function num(value, digits = 0) {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** @param {number} ms */
export function ms(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${num(ms / 1000, 1)} s`;
  if (ms >= 100) return `${num(ms, 0)} ms`;
  return `${num(ms, ms >= 10 ? 1 : 2)} ms`;
}

/** @param {number} kilobytes */
export function mb(kilobytes) {
  return `${num(kilobytes / 1024, 0)} MB`;
}

/** @param {number} value */
export function ratio(value) {
  return Number.isFinite(value) ? `${num(value, 2)}×` : 'n/a';
}

/**
 * Runs `node <script>` with `input` as JSON in argv and resolves with the JSON of its last
 * stdout line. Rejects with its stderr when it fails.
 *
 * @param {string | URL} script
 * @param {unknown} input
 * @param {{ nodeArgs?: string[], timeoutMs?: number }} [options]
 * @returns {Promise<any>}
 */
export function runChild(script, input, options = {}) {
  const path = script instanceof URL ? script.pathname : script;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(
      () => {
        child.kill('SIGKILL');
      },
      options.timeoutMs ?? 30 * 60_000,
    );
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(new Error(`${path} exited with ${code ?? signal}: ${stderr.trim().slice(-2000)}`));
        return;
      }
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`${path} printed no JSON result: ${stdout.slice(-500)} ${stderr.slice(-500)}`));
      }
    });
  });
}
