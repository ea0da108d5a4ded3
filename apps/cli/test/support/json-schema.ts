// The JSON Schema the CLI ships, compiled once: every `--json` output of the tests goes through it.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

const schema = JSON.parse(readFileSync(new URL('../../schema/runview-json.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

/** Parses one JSON document and checks it against the schema; returns it. */
export function expectValidJson(text: string): { version: number; type: string; data?: unknown; error?: { code: string; exitCode: number; message: string } } {
  const value = JSON.parse(text) as { version: number; type: string };
  const valid = validate(value);
  expect(
    valid ? [] : validate.errors?.map((error) => `${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`).slice(0, 5),
    text.slice(0, 200),
  ).toEqual([]);
  return value;
}

/** Each line of a JSON-lines output, checked. */
export function expectValidJsonLines(text: string): ReturnType<typeof expectValidJson>[] {
  return text
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => expectValidJson(line));
}
