// API key specs and the constant-time lookup.
import { describe, expect, it } from 'vitest';
import { ApiKeyConfigError, parseApiKey, parseApiKeyList } from '../src/auth/keys.js';
import { digestOf, findKey } from '../src/auth/keys.js';
import { DEFAULT_TENANT_ID } from '../src/index.js';

const TENANT = '0a000000-0000-4000-8000-00000000000a';

describe('API key specs', () => {
  it('reads KEY, KEY:TENANT_ID, KEY:read and KEY:TENANT_ID:read', () => {
    expect(parseApiKey('secret')).toMatchObject({ tenantId: DEFAULT_TENANT_ID, canWrite: true });
    expect(parseApiKey(`secret:${TENANT.toUpperCase()}`)).toMatchObject({ tenantId: TENANT, canWrite: true });
    expect(parseApiKey('secret:read')).toMatchObject({ tenantId: DEFAULT_TENANT_ID, canWrite: false });
    expect(parseApiKey(`secret:${TENANT}:read`)).toMatchObject({ tenantId: TENANT, canWrite: false });
    expect(parseApiKeyList(` a , b:read,, c:${TENANT} `).map((key) => [key.tenantId, key.canWrite])).toEqual([
      [DEFAULT_TENANT_ID, true],
      [DEFAULT_TENANT_ID, false],
      [TENANT, true],
    ]);
  });

  it('refuses malformed specs without repeating the key', () => {
    for (const spec of ['', 'hunter2:not-a-tenant', `hunter2:read:${TENANT}`, 'hunter2:read:read', `hunter2:${TENANT}:${TENANT}`]) {
      let caught: unknown;
      try {
        parseApiKey(spec, 3);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ApiKeyConfigError);
      expect((caught as Error).message).toMatch(/API key #3/);
      expect((caught as Error).message).not.toContain('hunter2');
    }
  });

  it('keeps only a digest of the key', () => {
    const key = parseApiKey('hunter2');
    expect(JSON.stringify(key)).not.toContain('hunter2');
    expect(key.digest.equals(digestOf('hunter2'))).toBe(true);
  });
});

describe('constant-time lookup', () => {
  const keys = [parseApiKey('short'), parseApiKey(`a-much-longer-key-value:${TENANT}:read`)];

  it('finds the grant of a known key whatever the lengths involved', () => {
    expect(findKey(keys, 'short')).toEqual({ tenantId: DEFAULT_TENANT_ID, canWrite: true });
    expect(findKey(keys, 'a-much-longer-key-value')).toEqual({ tenantId: TENANT, canWrite: false });
  });

  it('finds nothing for unknown keys, prefixes, extensions and empty input', () => {
    for (const candidate of ['shor', 'shortx', '', 'a-much-longer-key-valu', 'x'.repeat(10_000)]) expect(findKey(keys, candidate)).toBeUndefined();
  });

  it('compares equal-length digests, so the key length does not change the comparison', () => {
    expect(new Set([digestOf(''), digestOf('short'), digestOf('x'.repeat(10_000))].map((digest) => digest.length))).toEqual(new Set([32]));
  });
});
