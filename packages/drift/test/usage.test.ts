// What the shipped operations use of the contract, as schema coordinates.
import { operationSources } from '@runview/documents';
import { WriteRunLogsDocument } from '@runview/documents/testing';
import { describe, expect, it } from 'vitest';
import { contractSdl, schemaFromSdl } from '../src/index.js';
import { documentCoordinates, operationUsage } from '../src/usage.js';

const contract = schemaFromSdl(contractSdl);
const operations = operationSources();

function usedBy(name: string): ReadonlySet<string> {
  const operation = operations.find((source) => source.name === name);
  if (!operation) throw new TypeError(`no shipped operation ${name}`);
  return documentCoordinates(contract, operation.document).used;
}

describe('operation coordinates', () => {
  it('lists root fields, arguments, input fields, enum values and fields inside fragments', () => {
    const used = usedBy('FlowRunById');
    for (const coordinate of [
      'Query',
      'Query.flow_run',
      'Query.flow_run.where',
      'flow_run_bool_exp.id',
      'uuid_comparison_exp._eq',
      'flow_run.serialized_state',
      'flow_run.states',
      'flow_run.states.order_by',
      'flow_run_state_order_by.timestamp',
      'order_by.asc',
      'flow_run_state.serialized_state',
      'jsonb',
      'uuid',
    ]) {
      expect(used, coordinate).toContain(coordinate);
    }
    expect(used).not.toContain('flow_run.idempotency_key');
    expect(used).not.toContain('order_by.desc');
  });

  it('takes everything reachable from a variable type as used, since callers fill it at run time', () => {
    // The runners' log upload (a test operation now: no runview client writes logs).
    const used = documentCoordinates(contract, WriteRunLogsDocument).used;
    for (const coordinate of ['write_run_logs_input.logs', 'write_run_log_input.level', 'log_level', 'log_level.DEBUG']) {
      expect(used, coordinate).toContain(coordinate);
    }
  });

  it('maps each coordinate to the operations that use it', () => {
    const usage = operationUsage(contract, operations);
    const users = usage.get('flow_run.serialized_state') ?? [];
    expect(users).toEqual(expect.arrayContaining(['FlowRunById', 'FlowRunsByNameFull']));
    expect(users).not.toContain('FlowRunsByName');
    expect(users).toEqual([...users].sort((a, b) => a.localeCompare(b)));
    expect(usage.get('order_by.asc_nulls_last')).toEqual(['TaskRunsTable']);
    expect(usage.get('order_by.desc')).toContain('FlowRunLogsTail');
    expect(usage.get('order_by.desc')).not.toContain('FlowRunById');
    // No shipped operation sends a log level since runview stopped shipping writes.
    expect(usage.get('log_level')).toBeUndefined();
    expect(usage.get('flow_run.idempotency_key')).toBeUndefined();
  });
});
