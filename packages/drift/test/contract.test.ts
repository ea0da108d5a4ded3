// The contract embedded for browsers must be exactly schema.graphql.
import { describe, expect, it } from 'vitest';
import { contractSdl } from '../src/index.js';
import { contractText } from './fixtures/drift-fixtures.js';

describe('embedded contract', () => {
  it('is byte-for-byte schema.graphql (run `npm run codegen` when this fails)', () => {
    expect(contractSdl).toBe(contractText());
  });
});
