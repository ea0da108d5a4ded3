// @ts-check
/**
 * Where the time goes: a V8 CPU profile of a piece of work (the inspector's sampling profiler,
 * what `node --cpu-prof` writes), summarised as self time by area (a package, runview's own
 * packages, Node's internals, the garbage collector, idle) and by function.
 */
import { Session } from 'node:inspector/promises';

/**
 * @typedef {object} CpuProfileNode
 * @property {number} id
 * @property {{ functionName: string, url: string, lineNumber: number }} callFrame
 */
/**
 * @typedef {object} CpuProfile
 * @property {CpuProfileNode[]} nodes
 * @property {number[]} [samples]
 * @property {number[]} [timeDeltas]
 * @property {number} startTime
 * @property {number} endTime
 */

/**
 * Runs `fn` under the sampling profiler of this process.
 *
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ value: T, profile: CpuProfile }>}
 */
export async function profiled(fn) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    /** @type {{ ok: true, value: T } | { ok: false, error: unknown }} */
    let outcome;
    try {
      outcome = { ok: true, value: await fn() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const { profile } = /** @type {{ profile: CpuProfile }} */ (/** @type {unknown} */ (await session.post('Profiler.stop')));
    if (!outcome.ok) throw outcome.error;
    const value = outcome.value;
    return { value, profile };
  } finally {
    session.disconnect();
  }
}

/**
 * @param {string} url
 * @param {string} functionName
 */
function areaOf(url, functionName) {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(program)') return 'V8 itself (compiler, runtime)';
    return 'V8 built-ins and native bindings (JSON, strings, buffers, sockets)';
  }
  const runview = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (runview && !url.includes('/node_modules/')) return `@runview/${runview[2]}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? 'node_modules');
  }
  if (url.startsWith('node:')) return 'Node.js internals';
  return url
    .replace(/^file:\/\//, '')
    .split('/')
    .slice(-2)
    .join('/');
}

/**
 * Self time by area and the hottest functions, as Markdown lines.
 *
 * @param {CpuProfile} profile
 * @param {{ label?: string, top?: number }} [options]
 * @returns {string[]}
 */
export function summariseProfile(profile, options = {}) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<number, number>} */
  const self = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (const [index, id] of samples.entries()) self.set(id, (self.get(id) ?? 0) + (deltas[index] ?? 0));
  /** @type {Map<string, number>} */
  const areas = new Map();
  /** @type {Map<string, number>} */
  const functions = new Map();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = url === '' ? '' : ` (${area}, ${url.split('/').at(-1)}:${lineNumber + 1})`;
    const key = `${functionName || '(anonymous)'}${where}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const busy = Math.max(total - idle, 1);
  const share = (/** @type {number} */ us) => `${((100 * us) / busy).toFixed(1)}%`;
  const top = options.top ?? 8;
  const lines = [
    `${options.label ?? 'CPU profile'}: ${(total / 1e6).toFixed(2)} s sampled, ${((100 * idle) / Math.max(total, 1)).toFixed(0)}% of it idle ` +
      '(waiting for I/O: the database, the network, the other process).',
    '',
    'Busy time by area (share of the non-idle time):',
    '',
  ];
  for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`- ${share(us)} ${area}`);
  lines.push('', 'Hottest functions (self time, share of the non-idle time):', '');
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`- ${share(us)} ${name}`);
  return lines;
}
