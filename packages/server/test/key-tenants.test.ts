/**
 * A tenant an API key names exists from the start, as Prefect's client expects when it reads
 * `tenant { id slug }` with that key; on both backends, across restarts on one database.
 */
import { ConformanceTenantsDocument, ConformanceUpdateTenantSlugDocument, ConformanceCreateTenantDocument } from '@runview/documents/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, DEFAULT_TENANT_ID, KeyTenantError, type RunviewServer } from '../src/index.js';
import { createGraphQLClient, type GraphQLClient } from '../src/simulate/client.js';
import { BACKENDS, startTestServer, type TestServer } from './mutations-harness.js';

const TEAM = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const CLASH = 'C1A5B2D3-E4F5-4a6b-9c7d-8e9f0a1b2c3d';
const TAKEN = 'f00dbabe-0000-4000-8000-00000000000f';

function clientOf(server: RunviewServer, apiKey: string): GraphQLClient {
  return createGraphQLClient({ url: 'http://runview.test/graphql', fetch: (request) => server.fetch(request), apiKey });
}

describe.each(BACKENDS)('tenants of API keys on $name', (backend) => {
  let test: TestServer;

  beforeAll(async () => {
    if (backend.skip) return;
    test = await startTestServer(backend, { apiKeys: ['writer', `team:${TEAM}`, `team-reader:${TEAM}:read`] });
  }, 120_000);

  afterAll(async () => {
    if (!backend.skip) await test.close();
  });

  /** Another server process starting on the same database with `apiKeys`. */
  async function restart(apiKeys: string[]): Promise<RunviewServer> {
    return createServer({ database: test.server.db, apiKeys, logger: false });
  }

  it.skipIf(backend.skip)('makes the tenant a key names at start: its key reads it, the default key does not', async () => {
    const tenants = await test.client('team').request(ConformanceTenantsDocument, {});
    expect(tenants.tenant).toEqual([expect.objectContaining({ id: TEAM, name: 'tenant-9a8b7c6d', slug: 'tenant-9a8b7c6d', settings: {}, info: null })]);
    expect((await test.client('team-reader').request(ConformanceTenantsDocument, {})).tenant.map((tenant) => tenant.id)).toEqual([TEAM]);
    expect((await test.client('writer').request(ConformanceTenantsDocument, {})).tenant.map((tenant) => tenant.id)).toEqual([DEFAULT_TENANT_ID]);
  });

  it.skipIf(backend.skip)('keeps the row a tenant has on a restart (a slug set since stays)', async () => {
    await test.client('team').request(ConformanceUpdateTenantSlugDocument, { input: { tenant_id: TEAM, slug: 'data-team' } });
    const again = await restart([`team:${TEAM}`]);
    try {
      expect((await clientOf(again, 'team').request(ConformanceTenantsDocument, {})).tenant).toEqual([
        expect.objectContaining({ id: TEAM, slug: 'data-team', name: 'tenant-9a8b7c6d' }),
      ]);
    } finally {
      await again.close();
    }
  });

  it.skipIf(backend.skip)('takes the long slug when another tenant holds the short one, and refuses to start when both are taken', async () => {
    const writer = test.client('writer');
    await writer.request(ConformanceCreateTenantDocument, { input: { name: 'squatter', slug: 'tenant-c1a5b2d3' } });
    const clash = await restart([`clash:${CLASH}`]);
    try {
      expect((await clientOf(clash, 'clash').request(ConformanceTenantsDocument, {})).tenant).toEqual([
        expect.objectContaining({ id: CLASH.toLowerCase(), slug: 'tenant-c1a5b2d3e4f54a6b9c7d8e9f0a1b2c3d' }),
      ]);
    } finally {
      await clash.close();
    }
    await writer.request(ConformanceCreateTenantDocument, { input: { name: 'one', slug: 'tenant-f00dbabe' } });
    await writer.request(ConformanceCreateTenantDocument, { input: { name: 'two', slug: 'tenant-f00dbabe00004000800000000000000f' } });
    await expect(restart([`taken:${TAKEN}`])).rejects.toThrow(KeyTenantError);
    await expect(restart([`taken:${TAKEN}`])).rejects.toThrow(
      `cannot create tenant ${TAKEN} for its API key: the slugs tenant-f00dbabe and tenant-f00dbabe00004000800000000000000f belong to other tenants`,
    );
  });
});
