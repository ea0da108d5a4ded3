import { readFileSync } from 'node:fs';
import { buildSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationSources } from '../src/index.js';

const schema = buildSchema(readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8'));

describe('operationSources', () => {
  const sources = operationSources();

  it('lists every shipped operation once, by name', () => {
    const names = sources.map((source) => source.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['FlowRunById', 'FlowRunsByName', 'FlowRunLogsPage', 'TaskRunBySlug', 'FlowById']));
  });

  it('carries documents that validate against the contract', () => {
    for (const source of sources) {
      expect(
        validate(schema, source.document).map((error) => error.message),
        source.name,
      ).toEqual([]);
    }
  });
});
