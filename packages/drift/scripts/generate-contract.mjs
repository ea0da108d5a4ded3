// Embed the contract as a string so the drift check runs where files cannot be read
// (browsers, bundled apps). The output is committed; test/contract.test.ts fails when stale.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const schemaUrl = new URL('../../../schema.graphql', import.meta.url);
const outDir = new URL('../src/__generated__/', import.meta.url);

const sdl = readFileSync(schemaUrl, 'utf8');
const module = [
  '// Generated from schema.graphql by scripts/generate-contract.mjs. Do not edit: run `npm run codegen`.',
  '',
  '/** The contract (schema.graphql) every shipped operation was generated and validated against, as SDL. */',
  `export const contractSdl: string = ${JSON.stringify(sdl)};`,
  '',
].join('\n');

mkdirSync(outDir, { recursive: true });
writeFileSync(new URL('contract.ts', outDir), module);
