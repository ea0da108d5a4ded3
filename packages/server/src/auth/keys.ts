/**
 * API keys: parsed from `KEY[:TENANT_ID][:read]` specs, kept only as SHA-256 digests, and
 * matched in constant time (every configured key is compared, digests have one length), so
 * neither the key nor its length leaks through timing. Keys are never logged.
 */
import { isUuid } from '@runview/prefect';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DEFAULT_TENANT_ID } from '../db/tenant.js';

/** An API key's grant: its tenant and whether it may write. */
export interface KeyGrant {
  readonly tenantId: string;
  readonly canWrite: boolean;
}

/** A configured key, as its digest plus its grant. */
export interface ApiKey extends KeyGrant {
  readonly digest: Buffer;
}

/** A key spec that cannot be parsed (the message never contains the key). */
export class ApiKeyConfigError extends Error {
  override readonly name = 'ApiKeyConfigError';
}

export function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Parses one key spec: `KEY` (read-write, default tenant), `KEY:TENANT_ID`, `KEY:read`,
 * `KEY:TENANT_ID:read`.
 */
export function parseApiKey(spec: string, position = 1): ApiKey {
  const [secret = '', ...rest] = spec.trim().split(':');
  if (secret.length === 0) throw new ApiKeyConfigError(`API key #${position} is empty`);
  let tenantId = DEFAULT_TENANT_ID;
  let canWrite = true;
  for (const part of rest) {
    if (part === 'read' && canWrite) canWrite = false;
    else if (isUuid(part) && tenantId === DEFAULT_TENANT_ID && canWrite) tenantId = part.toLowerCase();
    else throw new ApiKeyConfigError(`API key #${position}: expected KEY[:TENANT_ID][:read] (TENANT_ID a uuid)`);
  }
  return { digest: digestOf(secret), tenantId, canWrite };
}

/** Parses a comma-separated list of key specs (the `RUNVIEW_API_KEYS` format). */
export function parseApiKeyList(list: string): ApiKey[] {
  return list
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec.length > 0)
    .map((spec, index) => parseApiKey(spec, index + 1));
}

/** The grant of `secret`, or undefined. Compares against every key, in constant time per key. */
export function findKey(keys: readonly ApiKey[], secret: string): KeyGrant | undefined {
  const digest = digestOf(secret);
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(key.digest, digest) && found === undefined) found = key;
  }
  return found === undefined ? undefined : { tenantId: found.tenantId, canWrite: found.canWrite };
}
