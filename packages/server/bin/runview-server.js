#!/usr/bin/env node
// The `runview-server` command. This launcher is committed, not built, so that `npm install`
// links it into node_modules/.bin (npm links a bin only when its file exists at install time,
// and dist/ is built later): `npx runview-server` then finds the workspace's command, never a
// package of that name on the registry.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('runview-server is not built yet: run `npm run build` (or `npm run demo`) at the root of the repository.\n');
  process.exit(69);
}
await import(entry.href);
