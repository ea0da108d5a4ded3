import { ChangeType, CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import type { GraphQLSchema } from 'graphql';
import type { CoordinateUsage } from './usage.js';

/** How a difference affects clients, as graphql-inspector classifies it. */
export type Criticality = 'breaking' | 'dangerous' | 'safe';

/** One difference between the contract and the target schema. */
export interface SchemaChange {
  /** graphql-inspector's change type, e.g. `FIELD_REMOVED`, `ENUM_VALUE_ADDED`. */
  readonly type: string;
  readonly criticality: Criticality;
  /** What changed, e.g. `Field 'serialized_state' was removed from object type 'flow_run'`. */
  readonly message: string;
  /** The schema coordinate that changed (`flow_run.serialized_state`), or `null` for schema-wide changes. */
  readonly path: string | null;
  /** Why the change is breaking or dangerous, when graphql-inspector says. */
  readonly reason: string | null;
  /** Shipped operations that use what changed (for additions: the type, field or enum it was added to). */
  readonly usedByOperations: readonly string[];
}

/** A value a target enum has that the contract's does not, on an enum shipped operations use. */
export interface NewEnumValue {
  readonly enum: string;
  readonly value: string;
  readonly usedByOperations: readonly string[];
}

// These change what may or must be sent to a field, input or enum, so they matter to every
// operation that uses the parent, not only to those that already use the changed part: a
// newly required argument breaks exactly the operations that do not pass it.
const affectsParentUsers = new Set<string>([
  ChangeType.FieldArgumentAdded,
  ChangeType.FieldArgumentTypeChanged,
  ChangeType.FieldArgumentDefaultChanged,
  ChangeType.InputFieldAdded,
  ChangeType.InputFieldTypeChanged,
  ChangeType.InputFieldDefaultValueChanged,
  ChangeType.EnumValueAdded,
  ChangeType.UnionMemberAdded,
]);

const order: Record<Criticality, number> = { breaking: 0, dangerous: 1, safe: 2 };

const criticalities: Record<CriticalityLevel, Criticality> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

/** Diffs the contract against the target and marks what shipped operations use. */
export async function schemaChanges(contract: GraphQLSchema, target: GraphQLSchema, usage: CoordinateUsage): Promise<SchemaChange[]> {
  const changes = await diff(contract, target);
  return changes.map((change) => toSchemaChange(change, usage)).sort((a, b) => order[a.criticality] - order[b.criticality]);
}

function toSchemaChange(change: Change, usage: CoordinateUsage): SchemaChange {
  const path = change.path ?? null;
  return {
    type: change.type as string,
    criticality: criticalities[change.criticality.level],
    message: change.message,
    path,
    reason: change.criticality.reason ?? null,
    usedByOperations: path === null ? [] : usersOf(path, change.type as string, usage),
  };
}

function usersOf(path: string, type: string, usage: CoordinateUsage): readonly string[] {
  const exact = usage.get(path) ?? [];
  if (!affectsParentUsers.has(type)) return exact;
  const parent = usage.get(path.slice(0, Math.max(0, path.lastIndexOf('.')))) ?? [];
  return [...new Set([...exact, ...parent])].sort((a, b) => a.localeCompare(b));
}

/** The enum values the target added to enums that shipped operations use. */
export function newEnumValues(changes: readonly SchemaChange[]): NewEnumValue[] {
  return changes.flatMap((change) => {
    if (change.type !== ChangeType.EnumValueAdded || change.path === null || change.usedByOperations.length === 0) return [];
    const dot = change.path.lastIndexOf('.');
    return [{ enum: change.path.slice(0, dot), value: change.path.slice(dot + 1), usedByOperations: change.usedByOperations }];
  });
}
