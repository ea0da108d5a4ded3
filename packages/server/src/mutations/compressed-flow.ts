/**
 * Prefect Core's `compress()`: `base64(gzip(json.dumps(value)))`, the form in which
 * `prefect register` and `flow.register()` send a serialized flow.
 */
import { gunzipSync } from 'node:zlib';
import { badUserInput } from '../graphql/errors.js';

/** Standard base64, as Python's `b64encode` writes it. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The largest decompressed flow accepted: far above any real flow, small enough to refuse a gzip bomb. */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/**
 * Decodes a compressed serialized flow. Anything that does not decode (not base64, not gzip,
 * not JSON) is refused with Prefect Server's message, so nothing gets written.
 */
export function decompressFlow(text: string): unknown {
  const compact = text.replace(/\s+/g, '');
  try {
    if (!BASE64.test(compact)) throw new TypeError('not base64');
    const json = gunzipSync(Buffer.from(compact, 'base64'), { maxOutputLength: MAX_DECOMPRESSED_BYTES }).toString('utf8');
    return JSON.parse(json) as unknown;
  } catch {
    throw badUserInput('Unable to decompress serialized flow');
  }
}
