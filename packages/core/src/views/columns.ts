/**
 * A view's columns written once. A column says how the model reads it from the API row, how
 * it is written to the view's JSON form and read back (with that form's schema), and what
 * the view exposes; the view's data type, `toJSON`, `fromJSON`, JSON type and JSON schema are
 * all derived from the table, so adding a column is one entry.
 */
import type { JsonObject } from '@runview/documents';
import * as z from 'zod/mini';
import { requireUuid } from '../arguments.js';
import { frozenCopy } from '../json.js';
import { jsonObject, timestampString, uuidString } from '../schemas.js';
import { deserializeState } from '../states/serialize.js';
import type { State } from '../states/state.js';
import { parseTimestamp, type Timestamp } from '../time.js';

/** How a model value is written to JSON and read back. */
export interface Codec<Data, Json> {
  /** The JSON form's schema (what `fromJSON` accepts). */
  readonly schema: z.ZodMiniType<Json>;
  toJSON(value: Data): Json;
  /** Reads a value the schema accepted; `key` names it in an error. */
  fromJSON(value: Json, key: string): Data;
}

/** One column: read from the API row (`Wire`), written as JSON, exposed by the view. */
export interface Column<Wire, Data, Json, Exposed = Data> {
  readonly fromWire: (wire: Wire, operationName: string) => Data;
  readonly codec: Codec<Data, Json>;
  /** What the view's property returns; the model value itself when absent. */
  readonly expose?: (value: Data) => Exposed;
  /** The view's property name, when it differs from the column's (`updated` is `updatedAt`). */
  readonly property?: string;
}

// The column types the table holds: the parameters are checked where each column is written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of columns of different types
export type AnyColumn<Wire> = Column<Wire, any, any, any>;
export type Columns<Wire> = Readonly<Record<string, AnyColumn<Wire>>>;

/** The model a table holds: one value per column. */
export type DataOf<C> = { readonly [K in keyof C]: C[K] extends Column<never, infer D, unknown, unknown> ? D : never };
/** The JSON form of a table. */
export type JsonOf<C> = { readonly [K in keyof C]: C[K] extends Column<never, infer _D, infer J, unknown> ? J : never };
/** The view's properties: each column under its property name. */
export type PropertiesOf<C> = {
  readonly [K in keyof C as C[K] extends { readonly property: infer P extends string } ? P : K]: C[K] extends Column<never, infer _D, unknown, infer E>
    ? E
    : never;
};

/** Declares a column, keeping its property name's literal type. */
export function column<Wire, Data, Json, Exposed = Data, P extends string | undefined = undefined>(
  definition: Column<Wire, Data, Json, Exposed> & { readonly property?: P },
): Column<Wire, Data, Json, Exposed> & (P extends string ? { readonly property: P } : unknown) {
  return definition as Column<Wire, Data, Json, Exposed> & (P extends string ? { readonly property: P } : unknown);
}

/** The table's columns, each read as taking and giving unknown values (the table's types were checked where it was written). */
function entries<Wire>(columns: Columns<Wire>): [string, Column<Wire, unknown, unknown, unknown>][] {
  return Object.entries(columns);
}

/** The model of one API row, frozen. */
export function dataFromWire<Wire, C extends Columns<Wire>>(columns: C, wire: Wire, operationName: string): DataOf<C> {
  return Object.freeze(Object.fromEntries(entries(columns).map(([key, col]) => [key, col.fromWire(wire, operationName)]))) as DataOf<C>;
}

/** The JSON form of a model. */
export function dataToJson<C extends Columns<never>>(columns: C, data: DataOf<C>): JsonOf<C> {
  const values = data as Record<string, unknown>;
  return Object.fromEntries(entries(columns).map(([key, col]) => [key, col.codec.toJSON(values[key])])) as JsonOf<C>;
}

/** The schema of a table's JSON form (more members may be added by the view). */
export function jsonShape<C extends Columns<never>>(columns: C): { [K in keyof C]: z.ZodMiniType<JsonOf<C>[K]> } {
  return Object.fromEntries(entries(columns).map(([key, col]) => [key, col.codec.schema])) as { [K in keyof C]: z.ZodMiniType<JsonOf<C>[K]> };
}

/** The model of a JSON form the table's schema accepted, frozen. */
export function dataFromJson<C extends Columns<never>>(columns: C, json: JsonOf<C>): DataOf<C> {
  const values = json as Record<string, unknown>;
  return Object.freeze(Object.fromEntries(entries(columns).map(([key, col]) => [key, col.codec.fromJSON(values[key], key)]))) as DataOf<C>;
}

/**
 * Puts a table's properties on a view: a value that cannot change is an own, enumerable,
 * read-only property; a value the caller could change (a `Date`) is a getter that returns a
 * fresh one each time.
 */
export function defineProperties<C extends Columns<never>>(target: object, columns: C, data: DataOf<C>): void {
  const values = data as Record<string, unknown>;
  for (const [key, col] of entries(columns)) {
    const name = col.property ?? key;
    const expose = col.expose;
    if (expose === undefined) Object.defineProperty(target, name, { value: values[key], enumerable: true });
    else Object.defineProperty(target, name, { get: () => expose(values[key]), enumerable: true });
  }
}

// The codecs of the columns views have.

/** A value JSON holds as it is (a string, a number, null). */
export function plain<T>(schema: z.ZodMiniType<T>): Codec<T, T> {
  return { schema, toJSON: (value) => value, fromJSON: (value) => value };
}

/** A uuid, lower-cased when read. */
export const uuid: Codec<string, string> = { schema: uuidString, toJSON: (value) => value, fromJSON: (value, key) => requireUuid(value, key) };

/** A list of labels. */
export const labels: Codec<readonly string[], readonly string[]> = {
  schema: z.array(z.string()),
  toJSON: (value) => value,
  fromJSON: (value) => Object.freeze([...value]),
};

/** A JSON object (`jsonb`), deep-frozen. */
export const object: Codec<Readonly<JsonObject>, JsonObject> = { schema: jsonObject, toJSON: (value) => value, fromJSON: (value) => frozenCopy(value) };

/** An API timestamp, written exactly as the API sent it (microseconds kept). */
export const timestamp: Codec<Timestamp, string> = {
  schema: timestampString,
  toJSON: (value) => value.raw,
  fromJSON: (value, key) => parseTimestamp(value, key),
};

/** Prefect's serialized state. */
export const state: Codec<State, JsonObject> = {
  schema: z.record(z.string(), z.unknown()) as unknown as z.ZodMiniType<JsonObject>,
  toJSON: (value) => value.serialize(),
  fromJSON: (value) => deserializeState(value),
};

/** A state history, oldest first: `{ timestamp, state }`. */
export const stateHistory: Codec<readonly State[], readonly { readonly timestamp: string | null; readonly state: JsonObject }[]> = {
  schema: z.array(z.object({ timestamp: z.nullable(timestampString), state: state.schema })),
  toJSON: (value) => value.map((entry) => ({ timestamp: entry.timestampRaw, state: entry.serialize() })),
  fromJSON: (value) => Object.freeze(value.map((entry) => deserializeState(entry.state, { timestamp: entry.timestamp }))),
};

/** `codec`, or null. */
export function nullable<Data, Json>(codec: Codec<Data, Json>): Codec<Data | null, Json | null> {
  return {
    schema: z.nullable(codec.schema),
    toJSON: (value) => (value === null ? null : codec.toJSON(value)),
    fromJSON: (value, key) => (value === null ? null : codec.fromJSON(value, key)),
  };
}

/** A nullable API timestamp column read from the row. */
export function optionalTimestamp(raw: string | null): Timestamp | null {
  return raw === null ? null : parseTimestamp(raw);
}

/** A timestamp as the view exposes it: a fresh `Date`. */
export function asDate(value: Timestamp): Date {
  return new Date(value.date);
}

/** An optional timestamp as a fresh `Date`, or null. */
export function asOptionalDate(value: Timestamp | null): Date | null {
  return value === null ? null : new Date(value.date);
}

/**
 * The base class of a view over `columns`: its constructor puts the columns' properties on the
 * view (see {@link defineProperties}), typed from the table.
 */
export function viewOf<C extends Columns<never>>(columns: C): abstract new (data: DataOf<C>) => PropertiesOf<C> {
  abstract class View {
    constructor(data: DataOf<C>) {
      defineProperties(this, columns, data);
    }
  }
  return View as unknown as abstract new (data: DataOf<C>) => PropertiesOf<C>;
}
