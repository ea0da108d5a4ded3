/** JSON values as Hasura's `jsonb` and Prefect's `JSON` scalars carry them on the wire: `@runview/prefect`'s. */
export type { JsonObject, JsonValue } from '@runview/prefect';
