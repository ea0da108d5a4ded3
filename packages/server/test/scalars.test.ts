// Input forms the scalars and paths accept, and what they refuse.
import { describe, expect, it } from 'vitest';
import { parseJsonPath } from '../src/graphql/compile/json-path.js';
import { parseTimestamp, parseUuid } from '../src/graphql/scalars.js';
import { normalizeTimestamp } from '../src/graphql/timestamps.js';

describe('timestamps', () => {
  it.each([
    ['2021-05-12T17:59:56.383629+00:00', '2021-05-12T17:59:56.383629+00:00'],
    ['2021-05-12T17:59:56.383629Z', '2021-05-12T17:59:56.383629+00:00'],
    ['2021-05-12T17:59:56.383629', '2021-05-12T17:59:56.383629+00:00'],
    ['2019-01-01 12:00:00', '2019-01-01T12:00:00+00:00'],
    ['2019-01-01', '2019-01-01T00:00:00+00:00'],
    ['2021-05-12T19:59:56+02:00', '2021-05-12T19:59:56+02:00'],
    ['2021-05-12T19:59:56-0530', '2021-05-12T19:59:56-05:30'],
    ['2021-05-12t17:59z', '2021-05-12T17:59:00+00:00'],
    ['2021-05-12T17:59:56.1234567+00:00', '2021-05-12T17:59:56.123456+00:00'],
    ['2020-02-29T00:00:00Z', '2020-02-29T00:00:00+00:00'],
  ])('reads %s', (input, expected) => {
    expect(normalizeTimestamp(input)).toBe(expected);
  });

  it.each(['yesterday', '2021-13-01', '2021-02-29', '2021-05-12T24:00:00', '2021-05-12T17:60', '12/05/2021', '2021-05-12T17:59:56+16:00', ''])(
    'refuses %j',
    (input) => {
      expect(normalizeTimestamp(input)).toBeUndefined();
      expect(() => parseTimestamp(input)).toThrow(`invalid timestamp: ${JSON.stringify(input)}`);
    },
  );
});

describe('uuids', () => {
  it('lower-cases valid uuids and names invalid ones', () => {
    expect(parseUuid('4C0101AF-C6BB-4B96-8661-63A5BBFB5596')).toBe('4c0101af-c6bb-4b96-8661-63a5bbfb5596');
    expect(() => parseUuid('abc')).toThrow('invalid uuid: "abc"');
    expect(() => parseUuid(42)).toThrow('invalid uuid: 42');
    expect(() => parseUuid('4c0101af-c6bb-4b96-8661-63a5bbfb5596x')).toThrow('invalid uuid');
  });
});

describe('jsonb paths', () => {
  it.each([
    ['$', []],
    ['a', ['a']],
    ['$.a.b', ['a', 'b']],
    ['a.b', ['a', 'b']],
    ['[0].phone', ['0', 'phone']],
    ['$.items[2].name', ['items', '2', 'name']],
    ["['odd key'].x", ['odd key', 'x']],
    ['["with \\"quote\\""]', ['with "quote"']],
    ['kebab-case_key', ['kebab-case_key']],
  ])('reads %s', (path, expected) => {
    expect(parseJsonPath(path)).toEqual(expected);
  });

  it.each(['a..b', 'a b', '$.a[*]', '.a.', '[x]'])('refuses %j as Hasura does', (path) => {
    expect(() => parseJsonPath(path)).toThrow(`parse json path error: ${path}`);
  });
});
