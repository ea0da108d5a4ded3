/** A JSON value as Hasura's `jsonb` and Prefect's `JSON` scalars carry it on the wire. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object (`parameters`, `context`, `settings`, serialized states). */
export type JsonObject = Record<string, JsonValue>;
