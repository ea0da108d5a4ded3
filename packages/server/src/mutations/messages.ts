/**
 * The UI's notifications (`message`): marking one read or unread, deleting one. A message of
 * another tenant is answered as an unknown one (`success: false`) and left untouched.
 */
import { z } from 'zod';
import type { MutationResolver, RequestContext } from '../graphql/context.js';
import { parseInput, uuid } from './input.js';
import { updatePayload } from './payloads.js';

const messageIdInput = z.object({ message_id: uuid });

async function setRead(ctx: RequestContext, messageId: string, read: boolean): Promise<{ success: boolean; error: string | null }> {
  const updated = await ctx.db.kysely
    .updateTable('message')
    .set({ read, updated: ctx.now() })
    .where('id', '=', messageId)
    .where('tenant_id', '=', ctx.tenantId)
    .returning('id')
    .executeTakeFirst();
  if (updated) ctx.events.emit({ table: 'message', tenantId: ctx.tenantId, operation: 'update', ids: [updated.id] });
  return updatePayload(updated !== undefined, `Message ${messageId} not found.`);
}

export const markMessageAsRead: MutationResolver = async (args, ctx) => {
  const input = parseInput('mark_message_as_read', messageIdInput, args);
  return setRead(ctx, input.message_id, true);
};

export const markMessageAsUnread: MutationResolver = async (args, ctx) => {
  const input = parseInput('mark_message_as_unread', messageIdInput, args);
  return setRead(ctx, input.message_id, false);
};

export const deleteMessage: MutationResolver = async (args, ctx) => {
  const input = parseInput('delete_message', messageIdInput, args);
  const deleted = await ctx.db.kysely
    .deleteFrom('message')
    .where('id', '=', input.message_id)
    .where('tenant_id', '=', ctx.tenantId)
    .returning('id')
    .executeTakeFirst();
  if (deleted) ctx.events.emit({ table: 'message', tenantId: ctx.tenantId, operation: 'delete', ids: [deleted.id] });
  return updatePayload(deleted !== undefined, `Message ${input.message_id} not found.`);
};
