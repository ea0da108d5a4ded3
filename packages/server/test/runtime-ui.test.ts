// What the Prefect UI reads and changes beside runs: task run artifacts (written by Prefect
// Core's artifact functions), its notifications (`message`), and `reference_data`.
import { randomUUID } from 'node:crypto';
import {
  ConformanceRuntimeArtifactsDocument,
  ConformanceRuntimeCreateArtifactDocument,
  ConformanceRuntimeDeleteArtifactDocument,
  ConformanceRuntimeDeleteMessageDocument,
  ConformanceRuntimeFlowRunDocument,
  ConformanceRuntimeMarkMessageAsReadDocument,
  ConformanceRuntimeMarkMessageAsUnreadDocument,
  ConformanceRuntimeMessagesDocument,
  ConformanceRuntimeReferenceDataDocument,
  ConformanceRuntimeUpdateArtifactDocument,
} from '@runview/documents/conformance';
import { describe, expect, it } from 'vitest';
import { jsonb } from '../src/index.js';
import { BACKENDS } from './mutations-harness.js';
import { newTenant, TestClock, type TestTenant } from './support/runtime-tenant.js';
import { useTestServer } from './support/server.js';

function errorsOf(answer: { errors?: readonly { message: string; extensions?: { code?: string } }[] }): string[] {
  return (answer.errors ?? []).map((error) => `${error.extensions?.code ?? '?'}: ${error.message}`);
}

async function firstTaskRun(tenant: TestTenant): Promise<string> {
  const id = await tenant.createRun();
  const taskRun = (await tenant.query(ConformanceRuntimeFlowRunDocument, { id })).flow_run_by_pk?.task_runs[0]?.id;
  if (taskRun === undefined) throw new TypeError('the run has no task run');
  return taskRun;
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`artifacts, messages and reference data (${backend.name})`, () => {
    const clock = new TestClock('2030-06-01T12:00:00.000Z');
    const t = useTestServer(backend, () => Promise.resolve(undefined), { now: clock.now });

    it('creates, reads, updates and deletes task run artifacts', async () => {
      const tenant = await newTenant(t.server);
      const taskRunId = await firstTaskRun(tenant);
      const link = await tenant.query(ConformanceRuntimeCreateArtifactDocument, {
        input: { task_run_id: taskRunId, kind: 'link', data: { link: '/default/flow-run/x' }, tenant_id: null },
      });
      const linkId = link.create_task_run_artifact?.id ?? '';
      clock.advance(1);
      const markdown = await tenant.query(ConformanceRuntimeCreateArtifactDocument, {
        input: { task_run_id: taskRunId, kind: 'markdown', data: { markdown: '# report' }, tenant_id: tenant.tenantId },
      });
      const markdownId = markdown.create_task_run_artifact?.id ?? '';
      clock.advance(1);
      expect(
        (await tenant.query(ConformanceRuntimeUpdateArtifactDocument, { input: { task_run_artifact_id: linkId, data: { link: '/y' } } }))
          .update_task_run_artifact,
      ).toEqual({ success: true, error: null });
      const read = await tenant.query(ConformanceRuntimeArtifactsDocument, { taskRunIds: [taskRunId] });
      const updatedLink: unknown = { link: '/y' };
      expect(read.task_run_artifact_aggregate.aggregate?.count).toBe(2);
      expect(read.task_run_artifact.map((artifact) => [artifact.id, artifact.kind, artifact.data, artifact.task_run.id, artifact.task_run.task.name])).toEqual([
        [linkId, 'link', updatedLink, taskRunId, 'extract-1'],
        [markdownId, 'markdown', { markdown: '# report' }, taskRunId, 'extract-1'],
      ]);
      expect(read.task_run_artifact[0]?.updated).toBe('2030-06-01T12:00:02+00:00');
      expect((await tenant.query(ConformanceRuntimeDeleteArtifactDocument, { input: { task_run_artifact_id: markdownId } })).delete_task_run_artifact).toEqual({
        success: true,
        error: null,
      });
      expect((await tenant.query(ConformanceRuntimeDeleteArtifactDocument, { input: { task_run_artifact_id: markdownId } })).delete_task_run_artifact).toEqual({
        success: false,
        error: `Task run artifact ${markdownId} not found.`,
      });
    });

    it("refuses an artifact for an unknown task run, of another tenant, too large or unstorable; leaves other tenants' alone", async () => {
      const tenant = await newTenant(t.server);
      const stranger = await newTenant(t.server);
      const taskRunId = await firstTaskRun(tenant);
      const foreignTaskRun = await firstTaskRun(stranger);
      const theirs = await stranger.query(ConformanceRuntimeCreateArtifactDocument, {
        input: { task_run_id: foreignTaskRun, kind: 'link', data: { link: '/theirs' } },
      });
      const theirId = theirs.create_task_run_artifact?.id ?? '';
      const missing = randomUUID();
      const cases: [Record<string, unknown>, string][] = [
        [{ task_run_id: missing, kind: 'link', data: {} }, `NOT_FOUND: Task run ${missing} not found`],
        [{ task_run_id: foreignTaskRun, kind: 'link', data: {} }, `NOT_FOUND: Task run ${foreignTaskRun} not found`],
        [
          { task_run_id: taskRunId, kind: 'link', data: {}, tenant_id: stranger.tenantId },
          `FORBIDDEN: Invalid tenant ID: ${stranger.tenantId} is not the tenant of this request.`,
        ],
        [
          { task_run_id: taskRunId, kind: 'markdown', data: { markdown: 'x'.repeat(1_000_000) } },
          'BAD_USER_INPUT: Artifact data payload exceeds 1000000 bytes limit.',
        ],
        [
          { task_run_id: taskRunId, kind: 'markdown', data: { markdown: 'a\u0000' } },
          'BAD_USER_INPUT: Invalid input for create_task_run_artifact: data: markdown: contains a NUL character (\\u0000).',
        ],
      ];
      for (const [input, error] of cases) {
        expect(errorsOf(await tenant.send(ConformanceRuntimeCreateArtifactDocument, { input: input as never }))).toEqual([error]);
      }
      expect(
        (await tenant.query(ConformanceRuntimeUpdateArtifactDocument, { input: { task_run_artifact_id: theirId, data: { link: '/mine' } } }))
          .update_task_run_artifact,
      ).toEqual({
        success: false,
        error: `Task run artifact ${theirId} not found.`,
      });
      expect(
        (await tenant.query(ConformanceRuntimeDeleteArtifactDocument, { input: { task_run_artifact_id: theirId } })).delete_task_run_artifact?.success,
      ).toBe(false);
      expect((await tenant.query(ConformanceRuntimeArtifactsDocument, { taskRunIds: [taskRunId, foreignTaskRun] })).task_run_artifact).toEqual([]);
      expect(
        (await stranger.query(ConformanceRuntimeArtifactsDocument, { taskRunIds: [foreignTaskRun] })).task_run_artifact.map((artifact) => artifact.data),
      ).toEqual([{ link: '/theirs' }]);
    });

    it("serves the notifications of the caller's tenant, marks them read or unread, deletes them", async () => {
      const tenant = await newTenant(t.server);
      const stranger = await newTenant(t.server);
      const insert = async (owner: TestTenant, text: string, created: string): Promise<string> =>
        (
          await t.server.db.kysely
            .insertInto('message')
            .values({ tenant_id: owner.tenantId, type: 'CLOUD_HOOK', text, content: jsonb({ flow_run_id: randomUUID() }), created, updated: created })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      const older = await insert(tenant, 'Run failed', '2030-06-01T10:00:00+00:00');
      const newer = await insert(tenant, 'Run succeeded', '2030-06-01T11:00:00+00:00');
      const theirs = await insert(stranger, 'Not yours', '2030-06-01T11:30:00+00:00');
      const page = await tenant.query(ConformanceRuntimeMessagesDocument, { orderBy: [{ created: 'desc' }], limit: 10 });
      expect(page.message.map((message) => [message.id, message.text, message.read, message.type, message.tenant_id])).toEqual([
        [newer, 'Run succeeded', false, 'CLOUD_HOOK', tenant.tenantId],
        [older, 'Run failed', false, 'CLOUD_HOOK', tenant.tenantId],
      ]);
      expect(page.unread.aggregate?.count).toBe(2);
      expect((await tenant.query(ConformanceRuntimeMarkMessageAsReadDocument, { input: { message_id: older } })).mark_message_as_read).toEqual({
        success: true,
        error: null,
      });
      const afterRead = await tenant.query(ConformanceRuntimeMessagesDocument, { where: { read: { _eq: true } } });
      expect(afterRead.message.map((message) => [message.id, message.updated])).toEqual([[older, clock.now().toISOString().replace('.000Z', '+00:00')]]);
      expect(afterRead.unread.aggregate?.count).toBe(1);
      // Another tenant's message: not found, and nothing written.
      expect((await tenant.query(ConformanceRuntimeMarkMessageAsReadDocument, { input: { message_id: theirs } })).mark_message_as_read).toEqual({
        success: false,
        error: `Message ${theirs} not found.`,
      });
      expect((await tenant.query(ConformanceRuntimeDeleteMessageDocument, { input: { message_id: theirs } })).delete_message?.success).toBe(false);
      expect((await stranger.query(ConformanceRuntimeMessagesDocument, {})).message).toEqual([
        expect.objectContaining({ id: theirs, read: false, updated: '2030-06-01T11:30:00+00:00' }),
      ]);
      expect((await tenant.query(ConformanceRuntimeMarkMessageAsUnreadDocument, { input: { message_id: older } })).mark_message_as_unread?.success).toBe(true);
      expect((await tenant.query(ConformanceRuntimeDeleteMessageDocument, { input: { message_id: newer } })).delete_message).toEqual({
        success: true,
        error: null,
      });
      const left = await tenant.query(ConformanceRuntimeMessagesDocument, {});
      expect(left.message.map((message) => [message.id, message.read])).toEqual([[older, false]]);
    });

    it("answers reference_data as Prefect Server derives it from Prefect Core's state classes", async () => {
      const tenant = await newTenant(t.server);
      const data = (await tenant.query(ConformanceRuntimeReferenceDataDocument, {})).reference_data;
      const hierarchy = data?.state_hierarchy as Record<string, string[]>;
      const info = data?.state_info as Record<string, { color: string }>;
      expect(Object.keys(hierarchy)).toHaveLength(23);
      expect(hierarchy['State']).toHaveLength(23);
      expect(hierarchy['Failed']).toEqual(['Failed', 'TimedOut', 'TriggerFailed', 'ValidationFailed']);
      expect(hierarchy['Success']).toEqual(['Success', 'Cached', 'Mapped', 'Skipped']);
      expect(hierarchy['Scheduled']).toEqual(['Scheduled', 'Paused', 'Resume', 'Retrying']);
      expect(hierarchy['_MetaState']).toEqual(['_MetaState', 'ClientFailed', 'Submitted', 'Queued']);
      expect(info['Cancelling']).toEqual({ color: '#E8E8E8' });
      expect(info['_MetaState']).toEqual({ color: '#696969' });
      expect(info['Success']).toEqual({ color: '#28a745' });
    });
  });
}
