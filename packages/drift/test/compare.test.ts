// The runtime opt-in's view: only problems that affect shipped operations.
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationsAgainst, checkSchema, compareWithOperations, contractSdl, describeProblem, DriftCheckError, schemaFromSdl } from '../src/index.js';
import { driftedSchema, type DriftFixtureName } from './fixtures/drift-fixtures.js';

const problems = (name: DriftFixtureName) => compareWithOperations(schemaFromSdl(driftedSchema(name)));

describe('compareWithOperations', () => {
  it('finds nothing when the target serves the contract', async () => {
    expect(await compareWithOperations(schemaFromSdl(contractSdl))).toEqual([]);
  });

  it('reports each broken operation once as an error, not again as the removal behind it', async () => {
    const found = await problems('field-removed');
    const message = 'Cannot query field "serialized_state" on type "flow_run".';
    expect(found).toContainEqual({ severity: 'error', operations: ['FlowRunById'], path: 'flow_run.serialized_state', message });
    expect(found).toContainEqual({ severity: 'error', operations: ['FlowRunsByNameFull'], path: 'flow_run.serialized_state', message });
    for (const problem of found) expect(problem).toMatchObject({ severity: 'error', path: 'flow_run.serialized_state', message });
    expect(found.every((problem) => problem.operations.length === 1)).toBe(true);
  });

  it('reports a retyped field that operations read as an error', async () => {
    const found = await problems('jsonb-retyped');
    expect(found).toMatchObject([{ severity: 'error', path: 'flow_run.parameters' }]);
    expect(found[0]?.operations).toEqual(expect.arrayContaining(['FlowRunById', 'FlowRunsByNameFull']));
    expect(describeProblem(found[0] ?? expect.fail('no problem'))).toMatch(/^error flow_run\.parameters: .*jsonb.* \(.*\bFlowRunById\b.*\)$/);
  });

  it('reports a new value of a used enum as a warning', async () => {
    const found = await checkOperationsAgainst(schemaFromSdl(driftedSchema('enum-value-added')));
    expect(found).toMatchObject([{ severity: 'warning', path: 'order_by.random' }]);
    expect(found[0]?.operations).toContain('FlowRunById');
    expect(found[0]?.operations).not.toContain('FlowRunsByName');
  });

  it('leaves out differences no shipped operation uses', async () => {
    // A new field and a new enum value on an enum nothing sends: safe and unused.
    const sdl = contractSdl
      .replace('type flow_run {', 'type flow_run {\n  estimated_run_time: interval')
      .replace('enum agent_select_column {', 'enum agent_select_column {\n  secret_token');
    const report = await checkSchema({ schema: sdl });
    expect(report.changes.map((change) => [change.path, change.criticality, change.usedByOperations])).toEqual([
      ['agent_select_column.secret_token', 'dangerous', []],
      ['flow_run.estimated_run_time', 'safe', []],
    ]);
    expect(await compareWithOperations(schemaFromSdl(sdl))).toEqual([]);
  });

  it('rejects a schema object graphql-js cannot validate against with a typed error', async () => {
    const invalid = new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { __bad: { type: GraphQLString } } }) });
    const error = await compareWithOperations(invalid).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DriftCheckError);
    expect((error as DriftCheckError).code).toBe('INVALID_SCHEMA');
  });
});
