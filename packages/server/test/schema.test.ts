// The API served is the contract: the schema introspected over HTTP is schema.graphql, no more,
// no less, and /health reports which database answers.
import { readFileSync } from 'node:fs';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConformanceServerInfoDocument } from '@runview/documents/conformance';
import { BACKENDS } from './mutations-harness.js';
import { postRaw, query } from './support/http.js';
import { useTestServer } from './support/server.js';

const contract = readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8');

function normalized(schema: ReturnType<typeof buildSchema>): string {
  return printSchema(lexicographicSortSchema(schema));
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`served schema (${backend.name})`, () => {
    const t = useTestServer(backend, () => Promise.resolve());

    it('introspects over HTTP to exactly schema.graphql', async () => {
      const answer = await postRaw(t.server, JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true }) }));
      expect(answer.status).toBe(200);
      const served = buildClientSchema(answer.data as IntrospectionQuery);
      expect(normalized(served)).toBe(normalized(buildSchema(contract)));
    });

    it('answers the Prefect layer fields', async () => {
      const data = await query(t.server, ConformanceServerInfoDocument);
      expect(data.hello).toBe('👋');
      expect(data.api?.backend).toBe('SERVER');
      expect(data.api?.version).toMatch(/^runview-server\/\d+\.\d+\.\d+/);
    });

    it('reports its database on /health', async () => {
      const response = await t.server.fetch(new Request('http://runview.test/health'));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', database: backend.name });
    });
  });
}
