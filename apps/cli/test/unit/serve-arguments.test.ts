// How runview hands `serve` its arguments: everything after the command, as written, behind
// `--`, but for runview's global switches; the rest of the command line untouched.
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/io.js';
import { createProgram, serveArguments } from '../../src/program.js';

const discard = { write: () => true, isTTY: false };
const io: Io = { stdout: discard, stderr: discard, env: {} };

function rewritten(argv: readonly string[]): string[] {
  return serveArguments(createProgram(io, { exitCode: 0 }, argv), argv);
}

describe('serve arguments', () => {
  it('passes what follows serve as written, runview-server flags that are also global ones included', () => {
    expect(rewritten(['serve', '--port', '0', '--api-key', 'a', '--api-key', 'b', '--request-timeout', '5'])).toEqual([
      'serve',
      '--',
      '--port',
      '0',
      '--api-key',
      'a',
      '--api-key',
      'b',
      '--request-timeout',
      '5',
    ]);
    expect(rewritten(['--api-key', 'k', '--request-timeout', '10s', 'serve', '-p', '0'])).toEqual([
      '--api-key',
      'k',
      '--request-timeout',
      '10s',
      'serve',
      '--',
      '-p',
      '0',
    ]);
  });

  it("keeps runview's global switches runview's, wherever they stand", () => {
    expect(rewritten(['serve', '--json', '--seed', 'demo', '--debug', '--no-color'])).toEqual([
      '--json',
      '--debug',
      '--no-color',
      'serve',
      '--',
      '--seed',
      'demo',
    ]);
  });

  it('turns runview help serve into serve --help', () => {
    expect(rewritten(['help', 'serve'])).toEqual(['serve', '--', '--help']);
  });

  it('leaves other commands alone, a global option whose value is "serve" too', () => {
    for (const argv of [['inspect', 'serve'], ['--endpoint', 'serve', 'runs'], ['runs', '--json'], ['--', 'serve'], [], ['--version']])
      expect(rewritten(argv)).toEqual(argv);
  });
});
