// The check against the real embedded server on a loopback port must be clean: it serves
// exactly the contract, so every shipped operation validates and nothing differs.
import { createServer, type RunviewServer } from '@runview/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSchema, compareWithOperations, formatReport, loadSchema, printSchemaFromEndpoint } from '../src/index.js';

let server: RunviewServer;
let endpoint: string;

beforeAll(async () => {
  server = await createServer({ database: 'memory', logger: false });
  endpoint = (await server.listen(0, '127.0.0.1')).url;
}, 120_000);

afterAll(async () => {
  await server.close();
});

describe('the embedded server', () => {
  it('passes the check with zero broken operations and zero changes', async () => {
    const report = await checkSchema({ endpoint });
    expect(report.brokenOperations, formatReport(report)).toEqual([]);
    expect(report.changes, formatReport(report, { all: true })).toEqual([]);
    expect(report.ok('any')).toBe(true);
    expect(formatReport(report)).toMatch(/^✔ pass http:\/\/127\.0\.0\.1:\d+\/graphql /);
  });

  it('gives the runtime opt-in nothing to report', async () => {
    expect(await compareWithOperations(await loadSchema({ endpoint }))).toEqual([]);
  });

  it('pulls a schema that checks clean', async () => {
    const sdl = await printSchemaFromEndpoint({ endpoint });
    expect(sdl).toContain('type flow_run {');
    expect((await checkSchema({ schema: sdl })).ok('any')).toBe(true);
  });
});
