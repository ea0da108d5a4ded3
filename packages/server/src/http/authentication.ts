/**
 * Authenticates each HTTP request from its headers before its body is read: a caller without a
 * valid key is answered at once (HTTP 200 with `UNAUTHENTICATED` in `errors`, which Prefect's
 * clients look for) and the connection closed, so a large or slow body from a stranger costs
 * nothing. Every operation of the request (one, or each of a batch) then runs with the grant.
 */
import type { Plugin } from 'graphql-yoga';
import { authenticate } from '../auth/authenticate.js';
import type { ApiKey, KeyGrant } from '../auth/keys.js';

export interface RequestAuthentication {
  readonly plugin: Plugin;
  /** The grant of a request that passed; authenticates again for one that did not go through the plugin. */
  grantOf(request: Request): KeyGrant;
}

export function requestAuthentication(keys: readonly ApiKey[]): RequestAuthentication {
  const grants = new WeakMap<Request, KeyGrant>();
  return {
    plugin: {
      onRequest(payload) {
        const { request } = payload;
        const grant = authenticate(keys, request.headers);
        if (grant instanceof Error) {
          payload.endResponse(Response.json({ errors: [grant.toJSON()] }, { status: 200, headers: { Connection: 'close' } }));
          return;
        }
        grants.set(request, grant);
      },
    },
    grantOf(request) {
      const known = grants.get(request);
      if (known !== undefined) return known;
      const grant = authenticate(keys, request.headers);
      if (grant instanceof Error) throw grant;
      return grant;
    },
  };
}
