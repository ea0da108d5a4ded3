/**
 * The project mutations of Prefect Server. A project name is unique in its tenant: a second
 * one is refused with `Uniqueness violation.`, which `prefect create project` takes as "it
 * exists already". Deleting a project deletes its flows and their runs.
 */
import { z } from 'zod';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { cascadeOf, emitCascade } from './cascade.js';
import { withConstraintErrors } from './database-errors.js';
import { notFound } from './errors.js';
import { parseInput, uuid } from './input.js';
import { successPayload } from './payloads.js';
import { callerTenant } from './tenant-scope.js';

const createProjectInput = z.object({ tenant_id: uuid, name: z.string(), description: z.string().nullish() });
const projectIdInput = z.object({ project_id: uuid });
const setNameInput = z.object({ project_id: uuid, name: z.string() });
const setDescriptionInput = z.object({ project_id: uuid, description: z.string().nullish() });

export const createProject: MutationResolver = async (args, ctx) => {
  const input = parseInput('create_project', createProjectInput, args);
  callerTenant(ctx, input.tenant_id);
  const project = await withConstraintErrors(() =>
    ctx.db.kysely
      .insertInto('project')
      .values({ tenant_id: ctx.tenantId, name: input.name, description: input.description ?? null })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  ctx.events.emit({ table: 'project', tenantId: ctx.tenantId, operation: 'insert', ids: [project.id] });
  return { id: project.id };
};

/** `delete_project`: `success` false when the tenant has no such project. */
export const deleteProject: MutationResolver = async (args, ctx) => {
  const input = parseInput('delete_project', projectIdInput, args);
  const { tenantId } = ctx;
  const deleted = await ctx.db.transaction(async (tx) => {
    const cascade = await cascadeOf(tx, tenantId, { projectId: input.project_id });
    const project = await tx.deleteFrom('project').where('id', '=', input.project_id).where('tenant_id', '=', tenantId).returning('id').executeTakeFirst();
    return project === undefined ? undefined : cascade;
  });
  if (deleted === undefined) return successPayload(false);
  ctx.events.emit({ table: 'project', tenantId, operation: 'delete', ids: [input.project_id] });
  emitCascade(ctx, deleted);
  return successPayload(true);
};

/** Updates one project of the tenant; Prefect Server's "Update failed" when there is none. */
async function updateProject(ctx: RequestContext, projectId: string, set: { name?: string; description?: string | null }): Promise<{ id: string }> {
  const updated = await withConstraintErrors(() =>
    ctx.db.kysely
      .updateTable('project')
      .set({ ...set, updated: ctx.now() })
      .where('id', '=', projectId)
      .where('tenant_id', '=', ctx.tenantId)
      .returning('id')
      .executeTakeFirst(),
  );
  if (!updated) throw notFound('Update failed');
  ctx.events.emit({ table: 'project', tenantId: ctx.tenantId, operation: 'update', ids: [updated.id] });
  return { id: updated.id };
}

export const setProjectName: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_project_name', setNameInput, args);
  return updateProject(ctx, input.project_id, { name: input.name });
};

export const setProjectDescription: MutationResolver = async (args, ctx) => {
  const input = parseInput('set_project_description', setDescriptionInput, args);
  return updateProject(ctx, input.project_id, { description: input.description ?? null });
};
