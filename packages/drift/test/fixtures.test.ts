// Each drift fixture (schema.graphql with one edit) must be classified as that edit and
// name the operations and fields it breaks. Operations are named by what they select, so
// new operations that select the same fields join the lists without breaking these tests.
import { describe, expect, it } from 'vitest';
import { checkSchema, contractSdl, type DriftReport, type SchemaChange } from '../src/index.js';
import { driftedSchema, type DriftFixtureName } from './fixtures/drift-fixtures.js';

const check = (name: DriftFixtureName): Promise<DriftReport> => checkSchema({ schema: driftedSchema(name) });

const changeAt = (report: DriftReport, path: string): SchemaChange[] => report.changes.filter((change) => change.path === path);

/** Every broken operation fails at `path` with `message`; `among` are broken, `notAmong` are not. */
function expectBroken(report: DriftReport, expected: { path: string; message: string | RegExp; among: string[]; notAmong: string[] }): void {
  const names = report.brokenOperations.map((broken) => broken.operation);
  expect(names).toEqual(expect.arrayContaining(expected.among));
  for (const name of expected.notAmong) expect(names).not.toContain(name);
  for (const broken of report.brokenOperations) {
    expect(broken.errors.length, broken.operation).toBeGreaterThan(0);
    for (const error of broken.errors) {
      expect(error.path, broken.operation).toBe(expected.path);
      expect(error.message, broken.operation).toMatch(expected.message);
    }
  }
}

/** The users of a change include `among` and exclude `notAmong`. */
function expectUsers(change: SchemaChange | undefined, among: string[], notAmong: string[] = []): void {
  expect(change).toBeDefined();
  expect(change?.usedByOperations).toEqual(expect.arrayContaining(among));
  for (const name of notAmong) expect(change?.usedByOperations).not.toContain(name);
}

describe('drift fixtures', () => {
  it('the contract itself shows no drift', async () => {
    const report = await checkSchema({ schema: contractSdl });
    expect(report.brokenOperations).toEqual([]);
    expect(report.changes).toEqual([]);
    expect(report.summary.operationsChecked).toBeGreaterThan(20);
    expect(report.ok('any')).toBe(true);
  });

  it('a removed field breaks the operations selecting it, and is a breaking change they use', async () => {
    const report = await check('field-removed');
    expectBroken(report, {
      path: 'flow_run.serialized_state',
      message: 'Cannot query field "serialized_state" on type "flow_run".',
      among: ['FlowRunById', 'FlowRunsByNameFull'],
      notAmong: ['FlowRunsByName', 'FlowRunStates', 'TaskRunById'],
    });
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({ type: 'FIELD_REMOVED', criticality: 'breaking', path: 'flow_run.serialized_state' });
    // The operations the removal is used by are exactly the ones it breaks.
    expect(report.changes[0]?.usedByOperations).toEqual(report.brokenOperations.map((broken) => broken.operation));
    expect(report.ok('breaking')).toBe(false);
  });

  it('a renamed type breaks the operations whose fragments name it', async () => {
    const report = await check('type-renamed');
    expectBroken(report, {
      path: 'log',
      message: /^Unknown type "log"\. Did you mean "logs"/,
      among: ['FlowRunLogsFirstPage', 'FlowRunLogsPage', 'FlowRunLogsTail'],
      notAmong: ['FlowRunById', 'FlowRunsByName'],
    });
    expect(changeAt(report, 'log')).toMatchObject([{ type: 'TYPE_REMOVED', criticality: 'breaking' }]);
    expectUsers(changeAt(report, 'log')[0], ['FlowRunLogsFirstPage', 'FlowRunLogsPage', 'FlowRunLogsTail'], ['FlowRunById']);
    expect(changeAt(report, 'logs')).toContainEqual(expect.objectContaining({ type: 'TYPE_ADDED', criticality: 'safe' }));
    expect(changeAt(report, 'Query.log')).toMatchObject([{ type: 'FIELD_TYPE_CHANGED', criticality: 'breaking' }]);
    // Nothing but the rename: the type went, the new one came (with its description and
    // fields), and the fields returning it changed type.
    for (const change of report.changes) {
      if (change.path?.startsWith('logs.')) expect(['FIELD_ADDED', 'FIELD_ARGUMENT_ADDED']).toContain(change.type);
      else expect(['TYPE_REMOVED', 'TYPE_ADDED', 'TYPE_DESCRIPTION_ADDED', 'FIELD_TYPE_CHANGED'], change.message).toContain(change.type);
      expect(change.message).toMatch(/\blogs?\b/);
    }
    expect(report.ok('breaking')).toBe(false);
  });

  it('a renamed type no operation names breaks no validation, but its used field changed type', async () => {
    const report = await check('type-renamed-unnamed');
    expect(report.brokenOperations).toEqual([]);
    expect(changeAt(report, 'flow.flow_group')).toMatchObject([{ type: 'FIELD_TYPE_CHANGED', criticality: 'breaking' }]);
    expectUsers(changeAt(report, 'flow.flow_group')[0], ['FlowByGroupId', 'FlowById', 'FlowsByName'], ['FlowRunById']);
    expect(report.ok('breaking')).toBe(false);
  });

  it('an argument made required breaks the operations that do not pass it', async () => {
    const report = await check('argument-required');
    expectBroken(report, {
      path: 'Query.flow_run',
      message: 'Field "flow_run" argument "limit" of type "Int!" is required, but it was not provided.',
      among: ['FlowRunById', 'FlowRunsByName'],
      // These pass `limit`.
      notAmong: ['FlowRuns', 'FlowRunsByNameFull'],
    });
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({ type: 'FIELD_ARGUMENT_TYPE_CHANGED', criticality: 'breaking', path: 'Query.flow_run.limit' });
    // Every caller of the field is affected, whether or not it passes the argument today.
    expectUsers(report.changes[0], ['FlowRunById', 'FlowRuns', 'FlowRunsByName', 'FlowRunsByNameFull'], ['TaskRunById']);
    expect(report.ok('breaking')).toBe(false);
  });

  it('an argument made required that every operation passes is still a breaking change they use', async () => {
    const report = await check('argument-required-always-passed');
    expect(report.brokenOperations).toEqual([]);
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({ type: 'FIELD_ARGUMENT_TYPE_CHANGED', criticality: 'breaking', path: 'Query.flow_run.where' });
    expectUsers(report.changes[0], ['FlowRunById', 'FlowRuns']);
    expect(report.ok('breaking')).toBe(false);
  });

  it('an enum value added to a used enum is dangerous and listed as new', async () => {
    const report = await check('enum-value-added');
    expect(report.brokenOperations).toEqual([]);
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({ type: 'ENUM_VALUE_ADDED', criticality: 'dangerous', path: 'order_by.random' });
    expectUsers(report.changes[0], ['FlowRunById', 'FlowRunLogsTail'], ['FlowRunsByName']);
    expect(report.newEnumValues).toEqual([{ enum: 'order_by', value: 'random', usedByOperations: report.changes[0]?.usedByOperations }]);
    expect(report.ok('breaking')).toBe(true);
    expect(report.ok('dangerous')).toBe(false);
    expect(report.ok('any')).toBe(false);
  });

  it('a jsonb field retyped keeps operations valid but is a breaking change to what they read', async () => {
    const report = await check('jsonb-retyped');
    expect(report.brokenOperations).toEqual([]);
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({ type: 'FIELD_TYPE_CHANGED', criticality: 'breaking', path: 'flow_run.parameters' });
    expect(report.changes[0]?.message).toContain('jsonb');
    expectUsers(report.changes[0], ['FlowRunById', 'FlowRunsByNameFull'], ['FlowRunsByName']);
    expect(report.ok('breaking')).toBe(false);
  });
});
