#!/usr/bin/env node
// TypeScript 7's native compiler, for type checks and builds: the same checks as the
// TypeScript 6 that typescript-eslint runs on (its peer range ends below 7), several times
// faster. The 7.x package is installed under another name, as its `tsc` would shadow 6's.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The package exports no bin path: its launcher sits beside its manifest.
const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript-native/package.json')), 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
