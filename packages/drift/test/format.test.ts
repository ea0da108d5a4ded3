// The terminal table the CLI prints.
import { describe, expect, it } from 'vitest';
import { checkSchema, contractSdl, formatReport } from '../src/index.js';
import { driftedSchema } from './fixtures/drift-fixtures.js';

const escape = String.fromCharCode(27);

describe('formatReport', () => {
  it('passes a clean target in one line', async () => {
    const text = formatReport(await checkSchema({ schema: contractSdl }));
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/^✔ pass SDL \(fail on breaking\): 0 broken operations of \d+, 0 breaking/);
  });

  it('names each broken operation with its field and error, then the used changes', async () => {
    const text = formatReport(await checkSchema({ schema: driftedSchema('field-removed') }));
    expect(text).not.toContain(escape);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^✖ fail SDL .*\d+ broken operations/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}FlowRunById +flow_run\.serialized_state +Cannot query field "serialized_state" on type "flow_run"\.$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}breaking +flow_run\.serialized_state +.*FlowRunById, FlowRunsByNameFull.* +Field 'serialized_state' was removed/),
    );
  });

  it('reflects the threshold and colours only on request', async () => {
    const report = await checkSchema({ schema: driftedSchema('enum-value-added') });
    expect(formatReport(report)).toMatch(/^✔ pass/);
    const strict = formatReport(report, { failOn: 'dangerous', color: true });
    expect(strict).toContain(escape);
    expect(strict).toContain('fail');
    expect(strict).toContain('order_by.random');
  });

  it('hides safe and unused changes unless asked', async () => {
    const report = await checkSchema({ schema: driftedSchema('type-renamed') });
    const short = formatReport(report);
    const all = formatReport(report, { all: true });
    expect(short).toMatch(/\d+ other changes touch nothing the shipped operations use/);
    expect(short).not.toContain("Type 'logs' was added");
    expect(all).toContain("Type 'logs' was added");
  });
});
