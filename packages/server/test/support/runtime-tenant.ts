/**
 * A tenant of its own per test, on an open server (the tenant chosen with
 * `X-PREFECT-TENANT-ID`, as Prefect Server lets any caller do), with one registered flow: what
 * runs, queues and rows one test creates never show in another's answers.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '@runview/documents';
import { CreateFlowRunDocument, SetFlowRunStatesDocument, SetTaskRunStatesDocument } from '@runview/documents/testing';
import { jsonb, type RunviewServer } from '../../src/index.js';
import { query, send, type Answer, type Headers, type TypedDocument } from './http.js';

export interface TestTenant {
  readonly tenantId: string;
  readonly flowId: string;
  readonly taskIds: { readonly extract: string; readonly transform: string };
  readonly headers: Headers;
  /** Sends a document as this tenant (extra headers added). */
  send<R, V>(document: TypedDocument<R, V>, variables: V, headers?: Headers): Promise<Answer<R>>;
  /** Sends a document as this tenant and returns its data (errors fail). */
  query<R, V>(document: TypedDocument<R, V>, variables: V, headers?: Headers): Promise<R>;
  /** A new run of the tenant's flow; its id. */
  createRun(input?: Record<string, unknown>): Promise<string>;
  setFlowRunState(flowRunId: string, state: JsonObject, headers?: Headers): Promise<void>;
  setTaskRunState(taskRunId: string, state: JsonObject): Promise<void>;
}

export async function newTenant(server: RunviewServer): Promise<TestTenant> {
  const tenantId = randomUUID();
  const k = server.db.kysely;
  const project = await k.insertInto('project').values({ tenant_id: tenantId, name: 'runtime' }).returning('id').executeTakeFirstOrThrow();
  const group = await k.insertInto('flow_group').values({ tenant_id: tenantId, name: 'etl' }).returning('id').executeTakeFirstOrThrow();
  const flow = await k
    .insertInto('flow')
    .values({ tenant_id: tenantId, name: 'etl', project_id: project.id, flow_group_id: group.id, version: 1, parameters: jsonb([]) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const task = async (slug: string, mapped: boolean): Promise<string> =>
    (await k.insertInto('task').values({ tenant_id: tenantId, flow_id: flow.id, name: slug, slug, mapped }).returning('id').executeTakeFirstOrThrow()).id;
  const taskIds = { extract: await task('extract-1', false), transform: await task('transform-1', true) };
  const headers = { 'x-prefect-tenant-id': tenantId };
  const tenant: TestTenant = {
    tenantId,
    flowId: flow.id,
    taskIds,
    headers,
    send: (document, variables, extra = {}) => send(server, document, variables, { ...headers, ...extra }),
    query: (document, variables, extra = {}) => query(server, document, variables, { ...headers, ...extra }),
    async createRun(input = {}) {
      const data = await tenant.query(CreateFlowRunDocument, { input: { flow_id: flow.id, ...input } });
      const id = data.create_flow_run?.id;
      if (id === undefined || id === null) throw new TypeError('create_flow_run returned no id');
      return id;
    },
    async setFlowRunState(flowRunId, state, extra = {}) {
      await tenant.query(SetFlowRunStatesDocument, { input: { states: [{ flow_run_id: flowRunId, state }] } }, extra);
    },
    async setTaskRunState(taskRunId, state) {
      await tenant.query(SetTaskRunStatesDocument, { input: { states: [{ task_run_id: taskRunId, state }] } });
    },
  };
  return tenant;
}

/** A settable server clock: tests move it instead of waiting. */
export class TestClock {
  #now: Date;

  constructor(start: string) {
    this.#now = new Date(start);
  }

  readonly now = (): Date => this.#now;

  advance(seconds: number): void {
    this.#now = new Date(this.#now.getTime() + seconds * 1000);
  }
}
