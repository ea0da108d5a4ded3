import type { GraphQLSchema } from 'graphql';
import { newEnumValues, schemaChanges, type NewEnumValue, type SchemaChange } from './changes.js';
import { loadContract } from './contract.js';
import { assertValid, describeSource, loadSchema, type SchemaSource } from './load.js';
import { brokenOperations, type BrokenOperation } from './operations.js';

/**
 * What makes a check fail. Broken operations always do. `breaking`: also a breaking change
 * to something shipped operations use; `dangerous`: also a dangerous one (new enum values,
 * new optional inputs); `any`: any difference at all between the contract and the target.
 */
export type FailOn = 'breaking' | 'dangerous' | 'any';

/** Counts behind a report, for a one-line summary or a CI annotation. */
export interface DriftSummary {
  readonly operationsChecked: number;
  readonly brokenOperations: number;
  readonly breaking: number;
  /** Breaking changes to something shipped operations use. */
  readonly breakingUsed: number;
  readonly dangerous: number;
  /** Dangerous changes to something shipped operations use. */
  readonly dangerousUsed: number;
  readonly safe: number;
  readonly newEnumValues: number;
}

/** The result of checking a target schema against the contract and every shipped operation. */
export interface DriftReport {
  /** What was checked: the endpoint URL, `SDL` or `introspection JSON`. */
  readonly target: string;
  /** Shipped operations the target rejects, with graphql-js's error and where it points. */
  readonly brokenOperations: readonly BrokenOperation[];
  /** Every difference from the contract to the target, classified and marked with its users. */
  readonly changes: readonly SchemaChange[];
  /**
   * Values the target added to enums that shipped operations use (`order_by`, `log_level`, …).
   * Prefect's state names are plain strings in the API, not an enum, so a schema cannot reveal
   * new ones: `@runview/core` keeps unknown state names as they come.
   */
  readonly newEnumValues: readonly NewEnumValue[];
  readonly summary: DriftSummary;
  /** Whether the target passes: see {@link FailOn}; the default is `breaking`. */
  ok(failOn?: FailOn): boolean;
}

/**
 * Checks a live endpoint, an SDL text or an introspection result against the contract
 * (schema.graphql) and every operation runview ships.
 *
 * @throws {@link DriftCheckError} when the target cannot be reached or understood.
 * @example
 * const report = await checkSchema({ endpoint: 'http://localhost:4200/graphql' });
 * if (!report.ok('dangerous')) console.log(formatReport(report));
 */
export async function checkSchema(source: SchemaSource): Promise<DriftReport> {
  return analyseSchema(await loadSchema(source), describeSource(source));
}

/**
 * Checks an already built schema; {@link checkSchema} without the loading.
 *
 * @throws {@link DriftCheckError} (`INVALID_SCHEMA`) when graphql-js rejects the schema itself.
 */
export async function analyseSchema(target: GraphQLSchema, label = 'schema'): Promise<DriftReport> {
  assertValid(target);
  const contract = loadContract();
  const broken = brokenOperations(contract.schema, target, contract.operations);
  const changes = await schemaChanges(contract.schema, target, contract.usage);
  const enumValues = newEnumValues(changes);
  const count = (criticality: SchemaChange['criticality'], usedOnly: boolean): number =>
    changes.filter((change) => change.criticality === criticality && (!usedOnly || change.usedByOperations.length > 0)).length;
  const summary: DriftSummary = {
    operationsChecked: contract.operations.length,
    brokenOperations: broken.length,
    breaking: count('breaking', false),
    breakingUsed: count('breaking', true),
    dangerous: count('dangerous', false),
    dangerousUsed: count('dangerous', true),
    safe: count('safe', false),
    newEnumValues: enumValues.length,
  };
  return {
    target: label,
    brokenOperations: broken,
    changes,
    newEnumValues: enumValues,
    summary,
    ok(failOn: FailOn = 'breaking') {
      if (summary.brokenOperations > 0 || summary.breakingUsed > 0) return false;
      if (failOn === 'dangerous') return summary.dangerousUsed === 0;
      if (failOn === 'any') return changes.length === 0;
      return true;
    },
  };
}
