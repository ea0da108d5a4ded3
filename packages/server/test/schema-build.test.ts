// The executable schema is the contract's SDL with a resolver map: the map and the SDL must
// agree, and the contract's descriptions and scalars survive the build.
import { GraphQLScalarType, buildSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildExecutableSchema } from '../src/graphql/schema.js';
import { readSchemaSource } from '../src/graphql/schema-source.js';

const sdl = readSchemaSource();

describe('the executable schema', () => {
  it('prints as the contract does', () => {
    const built = buildExecutableSchema(sdl);
    expect(printSchema(lexicographicSortSchema(built))).toBe(printSchema(lexicographicSortSchema(buildSchema(sdl))));
  });

  it('validates custom scalars with their own rules', () => {
    const uuid = buildExecutableSchema(sdl).getType('uuid');
    expect(uuid).toBeInstanceOf(GraphQLScalarType);
    expect(() => (uuid as GraphQLScalarType).parseValue('not-a-uuid')).toThrow(/invalid uuid/);
    expect((uuid as GraphQLScalarType).parseValue('6E1C0E0B-6B5C-4B1F-9D7E-0C5B8F0E2A11')).toBe('6e1c0e0b-6b5c-4b1f-9d7e-0c5b8f0e2a11');
  });

  it('resolves every root field the contract declares', () => {
    const built = buildExecutableSchema(sdl);
    const unresolved = Object.values(built.getQueryType()?.getFields() ?? {}).filter((field) => field.resolve === undefined);
    expect(unresolved.map((field) => field.name)).toEqual([]);
  });

  it('refuses a contract that lacks a field the server resolves', () => {
    const withoutHello = sdl.replace(/\n\s*(?:"""[^"]*"""\s*)?hello: String\n/, '\n');
    expect(withoutHello).not.toBe(sdl);
    expect(() => buildExecutableSchema(withoutHello)).toThrow(/Query\.hello defined in resolvers, but not in schema/);
    const noop = () => Promise.resolve(null);
    expect(() => buildExecutableSchema(sdl, { no_such_mutation: noop })).toThrow(/Mutation\.no_such_mutation defined in resolvers, but not in schema/);
  });
});
