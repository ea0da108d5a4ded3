/**
 * The `--json` contract: every document on stdout, every JSON line of a stream and every error
 * on stderr is one envelope, `{"version": 1, "type": "…", "data": …}` (errors carry `error`
 * instead of `data`). `schema/runview-json.schema.json` describes every type; the tests check
 * each command's output against it.
 */

/** The contract's version: it changes only when a field changes meaning or goes away. */
export const JSON_CONTRACT_VERSION = 1;

/** The envelope's `type`s of documents and stream lines. */
export type JsonType = 'flowRuns' | 'flowRun' | 'taskRuns' | 'flow' | 'schemaCheck' | 'schema' | 'server' | 'log' | 'state' | 'taskRun' | 'warning' | 'result';

/** One envelope with its payload. */
export function envelope(type: JsonType, data: unknown): Record<string, unknown> {
  return { version: JSON_CONTRACT_VERSION, type, data };
}

/** What an error says in JSON: its code, the exit code it ends with and the message. */
export interface JsonError {
  readonly code: string;
  readonly exitCode: number;
  readonly message: string;
}

/** The envelope of an error (written to stderr). */
export function errorEnvelope(error: JsonError): Record<string, unknown> {
  return { version: JSON_CONTRACT_VERSION, type: 'error', error };
}
