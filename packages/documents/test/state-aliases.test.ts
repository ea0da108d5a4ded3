// Operations that count task runs per state write one aliased aggregate per Prefect state name
// (GraphQL has no "group by" here). Their aliases must be @runview/prefect's list, exactly and in
// its order, each filtering on its own name: a state added to the list, or a typo in one
// filter, fails here rather than counting nothing.
import { STATE_TYPE_NAMES } from '@runview/prefect';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, visit, type FieldNode, type ObjectValueNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { describe, expect, it } from 'vitest';

const SOURCES = fileURLToPath(new URL('../src', import.meta.url));

function graphqlFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === '__generated__') return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return graphqlFiles(path);
    return entry.name.endsWith('.graphql') ? [path] : [];
  });
}

function field(object: ObjectValueNode | undefined, name: string): ValueNode | undefined {
  return object?.fields.find((entry) => entry.name.value === name)?.value;
}

/** The state name a field's `where: { state: { _eq: "X" } }` filters on, if it does. */
function stateFilter(node: FieldNode): string | undefined {
  const where = node.arguments?.find((argument) => argument.name.value === 'where')?.value;
  const state = where?.kind === Kind.OBJECT ? field(where, 'state') : undefined;
  const eq = state?.kind === Kind.OBJECT ? field(state, '_eq') : undefined;
  return eq?.kind === Kind.STRING ? eq.value : undefined;
}

interface StateCounts {
  /** The operation or fragment it is in. */
  readonly definition: string;
  readonly aliases: string[];
  readonly filters: (string | undefined)[];
}

/** Every selection set with several fields each filtered on one state name: its per-state fields. */
function perStateSelections(): StateCounts[] {
  const found: StateCounts[] = [];
  for (const file of graphqlFiles(SOURCES)) {
    for (const definition of parse(readFileSync(file, 'utf8')).definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION && definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
      visit(definition, {
        SelectionSet(node: SelectionSetNode) {
          const fields = node.selections.filter((selection): selection is FieldNode => selection.kind === Kind.FIELD);
          const perState = fields.filter((selection) => stateFilter(selection) !== undefined);
          if (perState.length < 2) return;
          found.push({
            definition: definition.name?.value ?? '(anonymous)',
            aliases: perState.map((selection) => selection.alias?.value ?? selection.name.value),
            filters: perState.map(stateFilter),
          });
        },
      });
    }
  }
  return found;
}

describe('operations that count task runs per state', () => {
  const selections = perStateSelections();

  it('are found (task run counts, and the mapped counts of inspect)', () => {
    expect(selections.map((selection) => selection.definition).sort()).toEqual(['InspectMappedCounts', 'TaskRunStateCounts']);
  });

  it.each(selections.map((selection) => [selection.definition, selection] as const))(
    '%s: one alias per state name, in tree order, filtering on its own name',
    (_file, selection) => {
      expect(selection.aliases).toEqual(STATE_TYPE_NAMES);
      expect(selection.filters).toEqual(STATE_TYPE_NAMES);
    },
  );
});
