/**
 * Who is calling: with no keys configured the server is open (as Prefect Server is) and serves
 * the tenant named by `X-PREFECT-TENANT-ID`, or the default tenant; with keys, a request needs
 * `Authorization: Bearer <key>` and gets that key's tenant and rights. A tenant header naming
 * another tenant than the key's is refused. Reads headers only, so a request is refused before
 * its body is read.
 */
import { UUID_PATTERN } from '@runview/prefect';
import type { GraphQLError } from 'graphql';
import { DEFAULT_TENANT_ID } from '../db/tenant.js';
import { badUserInput, forbidden, unauthenticated } from '../graphql/errors.js';
import { optionalHeader, TENANT_HEADER } from './headers.js';
import { findKey, type ApiKey, type KeyGrant } from './keys.js';

/** The caller's grant, or the GraphQL error to answer with. */
export function authenticate(keys: readonly ApiKey[], headers: Headers): KeyGrant | GraphQLError {
  const tenantHeader = optionalHeader(headers, TENANT_HEADER);
  if (tenantHeader !== undefined && !UUID_PATTERN.test(tenantHeader)) {
    return badUserInput(`invalid uuid in X-PREFECT-TENANT-ID: ${JSON.stringify(tenantHeader.slice(0, 80))}`);
  }
  const requestedTenant = tenantHeader?.toLowerCase();
  if (keys.length === 0) return { tenantId: requestedTenant ?? DEFAULT_TENANT_ID, canWrite: true };
  const authorization = headers.get('authorization');
  if (authorization === null || authorization.trim() === '') return unauthenticated('An API key is required: send Authorization: Bearer <key>');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization.trim());
  if (match?.[1] === undefined) return unauthenticated('Malformed Authorization header');
  const grant = findKey(keys, match[1]);
  if (grant === undefined) return unauthenticated('Invalid API key');
  if (requestedTenant !== undefined && requestedTenant !== grant.tenantId)
    return forbidden('This API key does not belong to the tenant in X-PREFECT-TENANT-ID');
  return grant;
}
