// Ship the contract inside the package so consumers (and the drift check) validate
// against exactly the schema these documents were generated from.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../', import.meta.url);
mkdirSync(new URL('../dist/', import.meta.url), { recursive: true });
copyFileSync(fileURLToPath(new URL('schema.graphql', root)), fileURLToPath(new URL('../dist/schema.graphql', import.meta.url)));
