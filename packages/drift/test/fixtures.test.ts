// Each drift fixture (schema.graphql with one edit) must be classified as that edit and
// name the operations and fields it breaks.
import { describe, expect, it } from 'vitest';
import { checkSchema, contractSdl, type DriftReport } from '../src/index.js';
import { driftedSchema, type DriftFixtureName } from './fixtures/drift-fixtures.js';

const check = (name: DriftFixtureName): Promise<DriftReport> => checkSchema({ schema: driftedSchema(name) });

const brokenPaths = (report: DriftReport) =>
  report.brokenOperations.flatMap((broken) => broken.errors.map((error) => ({ operation: broken.operation, path: error.path })));

const changeAt = (report: DriftReport, path: string) => report.changes.filter((change) => change.path === path);

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
    expect(brokenPaths(report)).toEqual([
      { operation: 'FlowRunById', path: 'flow_run.serialized_state' },
      { operation: 'FlowRunsByNameFull', path: 'flow_run.serialized_state' },
    ]);
    expect(report.brokenOperations[0]?.errors[0]?.message).toBe('Cannot query field "serialized_state" on type "flow_run".');
    expect(report.changes).toMatchObject([
      { type: 'FIELD_REMOVED', criticality: 'breaking', path: 'flow_run.serialized_state', usedByOperations: ['FlowRunById', 'FlowRunsByNameFull'] },
    ]);
    expect(report.changes).toHaveLength(1);
    expect(report.ok('breaking')).toBe(false);
  });

  it('a renamed type breaks the operations whose fragments name it', async () => {
    const report = await check('type-renamed');
    expect(brokenPaths(report)).toEqual([
      { operation: 'FlowRunLogsFirstPage', path: 'log' },
      { operation: 'FlowRunLogsPage', path: 'log' },
      { operation: 'FlowRunLogsTail', path: 'log' },
    ]);
    expect(report.brokenOperations[0]?.errors[0]?.message).toMatch(/^Unknown type "log"\. Did you mean "logs"/);
    expect(changeAt(report, 'log')).toMatchObject([{ type: 'TYPE_REMOVED', criticality: 'breaking' }]);
    expect(changeAt(report, 'log')[0]?.usedByOperations).toEqual(expect.arrayContaining(['FlowRunLogsFirstPage', 'FlowRunLogsPage', 'FlowRunLogsTail']));
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
    expect(changeAt(report, 'flow.flow_group')).toMatchObject([
      { type: 'FIELD_TYPE_CHANGED', criticality: 'breaking', usedByOperations: ['FlowByGroupId', 'FlowById', 'FlowsByName'] },
    ]);
    expect(report.ok('breaking')).toBe(false);
  });

  it('an argument made required breaks the operations that do not pass it', async () => {
    const report = await check('argument-required');
    expect(brokenPaths(report)).toEqual([
      { operation: 'FlowRunById', path: 'Query.flow_run' },
      { operation: 'FlowRunsByName', path: 'Query.flow_run' },
    ]);
    expect(report.brokenOperations[0]?.errors[0]?.message).toBe('Field "flow_run" argument "limit" of type "Int!" is required, but it was not provided.');
    expect(report.changes).toMatchObject([
      {
        type: 'FIELD_ARGUMENT_TYPE_CHANGED',
        criticality: 'breaking',
        path: 'Query.flow_run.limit',
        usedByOperations: ['FlowRunById', 'FlowRuns', 'FlowRunsByName', 'FlowRunsByNameFull'],
      },
    ]);
    expect(report.changes).toHaveLength(1);
    expect(report.ok('breaking')).toBe(false);
  });

  it('an argument made required that every operation passes is still a breaking change they use', async () => {
    const report = await check('argument-required-always-passed');
    expect(report.brokenOperations).toEqual([]);
    expect(report.changes).toMatchObject([
      { type: 'FIELD_ARGUMENT_TYPE_CHANGED', criticality: 'breaking', path: 'Query.flow_run.where' },
    ]);
    expect(report.changes[0]?.usedByOperations).toContain('FlowRunById');
    expect(report.ok('breaking')).toBe(false);
  });

  it('an enum value added to a used enum is dangerous and listed as new', async () => {
    const report = await check('enum-value-added');
    expect(report.brokenOperations).toEqual([]);
    expect(report.changes).toMatchObject([
      { type: 'ENUM_VALUE_ADDED', criticality: 'dangerous', path: 'log_level.TRACE', usedByOperations: ['WriteRunLogs'] },
    ]);
    expect(report.changes).toHaveLength(1);
    expect(report.newEnumValues).toEqual([{ enum: 'log_level', value: 'TRACE', usedByOperations: ['WriteRunLogs'] }]);
    expect(report.ok('breaking')).toBe(true);
    expect(report.ok('dangerous')).toBe(false);
    expect(report.ok('any')).toBe(false);
  });

  it('a jsonb field retyped keeps operations valid but is a breaking change to what they read', async () => {
    const report = await check('jsonb-retyped');
    expect(report.brokenOperations).toEqual([]);
    expect(report.changes).toMatchObject([
      { type: 'FIELD_TYPE_CHANGED', criticality: 'breaking', path: 'flow_run.parameters', usedByOperations: ['FlowRunById', 'FlowRunsByNameFull'] },
    ]);
    expect(report.changes[0]?.message).toContain('jsonb');
    expect(report.changes).toHaveLength(1);
    expect(report.ok('breaking')).toBe(false);
  });
});
