import { createRequire } from 'node:module';

const manifest = createRequire(import.meta.url)('../../package.json') as { version: string };

/** This package's version, as reported by `api { version }`. */
export const SERVER_VERSION = `runview-server/${manifest.version}`;
