/**
 * Where a state's result is stored. Prefect serializes a result as its class name and its
 * location (plus the class's own settings: a bucket, a directory, a container); the value
 * itself never travels, and runview never loads it.
 */
import type { JsonObject, JsonValue } from '@runview/prefect';

/** Prefect's result classes, as they appear in `_result.type`. */
export const RESULT_TYPE_NAMES = [
  'Result',
  'CustomResult',
  'AzureResult',
  'ConstantResult',
  'GCSResult',
  'LocalResult',
  'PrefectResult',
  'S3Result',
  'SecretResult',
  'NoResultType',
] as const;

/** A result class Prefect knows. */
export type ResultTypeName = (typeof RESULT_TYPE_NAMES)[number];

/** The result types Prefect can load a value from (a base or custom `Result` cannot be, nor no result). */
const LOADABLE: ReadonlySet<string> = new Set<ResultTypeName>([
  'AzureResult',
  'ConstantResult',
  'GCSResult',
  'LocalResult',
  'PrefectResult',
  'S3Result',
  'SecretResult',
]);

/** A state's result, as location information only. */
export interface ResultLocation {
  /**
   * The result class name as serialized (`LocalResult`, `S3Result`, `NoResultType`...). A
   * name Prefect does not know is kept as sent; Prefect loads it as a base `Result`.
   */
  readonly type: string;
  /** Where the value is stored (a path, a key, a URI), or null. */
  readonly location: string | null;
  /** The other serialized settings (`bucket`, `dir`, `container`, `__version__`...). */
  readonly settings: Readonly<JsonObject>;
}

/** The result of a state that has none (Prefect's `NoResult`). */
export const NO_RESULT: ResultLocation = Object.freeze({
  type: 'NoResultType',
  location: null,
  settings: Object.freeze({}),
});

/** True when the result is Prefect's `NoResult`. */
export function isNoResult(result: ResultLocation): boolean {
  return result.type === 'NoResultType';
}

/**
 * True when Prefect could load a value from this result type: not `NoResult`, not a base or
 * custom `Result` and not a class Prefect does not know.
 */
export function isLoadableResultType(result: ResultLocation): boolean {
  return LOADABLE.has(result.type);
}

/** Builds a result location from its serialized form `{type, location?, ...settings}`. */
export function resultFromJson(json: { type: string; location?: string | null | undefined } & JsonObject): ResultLocation {
  const { type, location, ...settings } = json;
  return Object.freeze({
    type,
    location: typeof location === 'string' ? location : null,
    settings: Object.freeze(settings),
  });
}

/**
 * The serialized form of a result location, as Prefect dumps it: every result class but
 * `NoResultType` writes its `location`, null when it has none.
 */
export function resultToJson(result: ResultLocation): JsonObject {
  const json: Record<string, JsonValue> = { type: result.type, ...result.settings };
  if (!isNoResult(result) || result.location !== null) json['location'] = result.location;
  return json;
}
