// Name search as Prefect's UI does it (`_ilike` on a part of the name), closest names first.
import { describe, expect, it } from 'vitest';
import { byNameCloseness, containsPattern } from '../src/index.js';

describe('byNameCloseness', () => {
  it('puts the exact name first, then the same ignoring case, then prefixes, keeping the order within each', () => {
    const rows = ['my-etl-2', 'ETL', 'etl-nightly', 'etl', 'nightly-etl', 'etl-hourly', null].map((name) => ({ name }));
    expect(byNameCloseness(rows, 'etl').map((row) => row.name)).toEqual(['etl', 'ETL', 'etl-nightly', 'etl-hourly', 'my-etl-2', 'nightly-etl', null]);
  });
});

describe('containsPattern', () => {
  it("escapes _ilike's own wildcards", () => {
    expect(containsPattern('cosmic')).toBe('%cosmic%');
    expect(containsPattern('a_b%c\\d')).toBe('%a\\_b\\%c\\\\d%');
  });
});
