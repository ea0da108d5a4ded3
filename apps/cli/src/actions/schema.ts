/**
 * `runview schema check` and `runview schema pull`: does the API still accept every
 * operation runview ships (@runview/drift), and what is its schema right now.
 */
import { readFile } from 'node:fs/promises';
import { checkSchema, formatReport, printSchemaFromEndpoint, type FailOn, type SchemaSource } from '@runview/drift';
import type { Context } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../errors.js';

/** The options of `runview schema check`. */
export interface CheckOptions {
  readonly schema?: string;
  readonly failOn: FailOn;
  readonly all?: boolean;
}

/** Reads `--schema FILE`: SDL, or an introspection result when it is JSON. */
async function schemaFromFile(file: string): Promise<SchemaSource> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code ?? error);
    throw new UsageError(`Cannot read the schema file ${file}: ${why}.`, { cause: error });
  }
  return /\.json$/i.test(file) || text.trimStart().startsWith('{') ? { introspection: text } : { schema: text };
}

/** Checks the endpoint or file; exit code 1 when the check fails. */
export async function check(context: Context, options: CheckOptions): Promise<number> {
  const source: SchemaSource =
    options.schema === undefined
      ? { endpoint: context.endpoint, headers: context.authHeaders(), ...(context.io.signal ? { signal: context.io.signal } : {}) }
      : await schemaFromFile(options.schema);
  const report = await checkSchema(source);
  const ok = report.ok(options.failOn);
  if (context.json) {
    context.printJson('schemaCheck', {
      ok,
      failOn: options.failOn,
      target: report.target,
      summary: report.summary,
      brokenOperations: report.brokenOperations,
      changes: report.changes,
      newEnumValues: report.newEnumValues,
    });
  } else {
    context.print(formatReport(report, { color: context.palette.enabled, failOn: options.failOn, all: options.all === true }));
  }
  return ok ? EXIT.success : EXIT.runFailed;
}

/** Prints the endpoint's schema as SDL. */
export async function pull(context: Context): Promise<number> {
  const sdl = await printSchemaFromEndpoint({
    endpoint: context.endpoint,
    headers: context.authHeaders(),
    ...(context.io.signal ? { signal: context.io.signal } : {}),
  });
  if (context.json) context.printJson('schema', { sdl });
  else context.io.stdout.write(sdl);
  return EXIT.success;
}
