// Core prints operations with its own printer (graphql-js stays out of browser bundles): every
// document runview ships must print to text that parses back to the same document.
import * as documents from '@runview/documents';
import { Kind, parse, print, stripIgnoredCharacters, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printDocument, wireOperation } from '../src/client/document.js';

const shipped = Object.entries(documents).filter((entry): entry is [string, DocumentNode] => entry[0].endsWith('Document'));

describe("core's operation printer", () => {
  it('covers the shipped documents', () => {
    expect(shipped.length).toBeGreaterThan(20);
  });

  it.each(shipped)('prints %s as graphql-js does, up to layout', (_name, document) => {
    const text = printDocument(document);
    expect(stripIgnoredCharacters(print(parse(text)))).toBe(stripIgnoredCharacters(print(document)));
  });

  it('prints every kind of value, type, directive and fragment', () => {
    const source = `query Q($a: [Int!]! = [1, 2], $b: String @d) @o(x: 1) {
  f(s: "q\\"u\\u00e9", n: null, e: ASC, fl: 1.5, b: true, o: {k: [$a]}) @include(if: true) { ...F @skip(if: false) ... on T { g } ... @include(if: true) { h } }
  alias: f2
}
fragment F on T @fd { id }`;
    const document = parse(source);
    expect(stripIgnoredCharacters(print(parse(printDocument(document))))).toBe(stripIgnoredCharacters(print(document)));
    expect(wireOperation(document)).toEqual({ query: printDocument(document), operationName: 'Q' });
    expect(wireOperation(document)).toBe(wireOperation(document));
  });

  it('sends no operation name for an anonymous operation', () => {
    const [, named] = shipped[0] ?? [];
    if (named === undefined) throw new TypeError('no shipped document');
    const anonymous: DocumentNode = {
      ...named,
      definitions: named.definitions.map((definition) => (definition.kind === Kind.OPERATION_DEFINITION ? { ...definition, name: undefined } : definition)),
    };
    expect(wireOperation(anonymous).operationName).toBeNull();
  });
});
