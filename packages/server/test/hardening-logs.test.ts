// write_run_logs with what PostgreSQL cannot store or bind: a NUL character in a message, a
// name or `info` is bad input naming the field, and nothing is written; a batch naming more
// than 65,535 flow runs (PostgreSQL binds at most 65,535 values per statement) is stored.
import { describe, expect, it, vi } from 'vitest';
import { WriteRunLogsDocument, type WriteRunLogsMutation, type WriteRunLogsMutationVariables } from '@runview/documents/testing';
import { DEFAULT_TENANT_ID, generateSynthetic } from '../src/index.js';
import { BACKENDS, countRows } from './mutations-harness.js';
import { insertTenantData } from './support/fixtures.js';
import { answeredWhileHealthy, HEALTH_BOUND_MS, whileHealthAnswers } from './support/health.js';
import { send } from './support/http.js';
import { useTestServer } from './support/server.js';

// Each case here is sized like the finding it reproduces (65,536 runs, 1,000 subscriptions): on a
// machine busy with the rest of the suite it can outlast the default minute without being stuck.
vi.setConfig({ testTimeout: 300_000 });

type LogInput = WriteRunLogsMutationVariables['input']['logs'][number];

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`write_run_logs hardening (${backend.name})`, () => {
    const t = useTestServer(backend, (server) => insertTenantData(server.db, DEFAULT_TENANT_ID));

    it('refuses a NUL character in a message, a name or info as bad input, writing nothing', async () => {
      const run = t.data.runs['amber-fox'];
      const before = await countRows(t.server, 'log');
      const cases: { log: LogInput; names: RegExp }[] = [
        { log: { flow_run_id: run, message: 'before\u0000after' }, names: /message/ },
        { log: { flow_run_id: run, message: 'ok', name: 'prefect\u0000Task' }, names: /name/ },
        { log: { flow_run_id: run, message: 'ok', info: { traceback: 'a\u0000b' } }, names: /info/ },
        { log: { flow_run_id: run, message: 'ok', info: Object.fromEntries([['key\u0000', 1]]) }, names: /info/ },
      ];
      for (const { log, names } of cases) {
        const answer = await answeredWhileHealthy(t.server, () =>
          send(t.server, WriteRunLogsDocument, { input: { logs: [{ flow_run_id: run, message: 'a good line first' }, log] } }),
        );
        expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(answer.errors?.[0]?.message).toMatch(names);
        expect(answer.errors?.[0]?.message).toMatch(/NUL/);
      }
      expect(await countRows(t.server, 'log')).toBe(before);
    });

    it('stores a batch naming 65,536 flow runs', async () => {
      const { flowRunIds } = await generateSynthetic(t.server.db, { flowRuns: 65_536, taskRunsPerRun: 0, logsPerRun: 0 });
      const before = await countRows(t.server, 'log');
      // One bare line per run: 3.4 MB, within the 5 MB body limit.
      const write = (): ReturnType<typeof send<WriteRunLogsMutation, WriteRunLogsMutationVariables>> =>
        send(t.server, WriteRunLogsDocument, { input: { logs: flowRunIds.map((id) => ({ flow_run_id: id })) } });
      const { result: answer, healthMs } = await whileHealthAnswers(t.server, write);
      // PGlite has one session, which the write's transaction holds until it commits.
      if (backend.name === 'postgres') expect(healthMs).toBeLessThan(HEALTH_BOUND_MS);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.write_run_logs).toEqual({ success: true, error: null });
      expect((await countRows(t.server, 'log')) - before).toBe(65_536);
    });
  });
}
