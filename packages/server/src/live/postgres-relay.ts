/**
 * Change announcements between server processes on one PostgreSQL: each process NOTIFYs the
 * changes its mutations commit on the channel `runview_changes` (a small JSON payload) and
 * LISTENs there with a dedicated connection, re-announcing the other processes' changes to
 * its own live queries. So every process behind a load balancer pushes every change.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../db/database.js';
import { TABLE_NAMES } from '../graphql/metadata.js';
import type { ChangeEvent, ChangeEvents } from '../graphql/events.js';
import type { Logger } from '../http/logger.js';

/** The NOTIFY channel. */
export const CHANGES_CHANNEL = 'runview_changes';

/** PostgreSQL refuses payloads of 8,000 bytes or more; past this the row ids are left out. */
const MAX_PAYLOAD_CHARS = 7000;

const RECONNECT_MS = 1000;

interface Payload {
  readonly origin: string;
  readonly event: ChangeEvent;
}

function isChangeEvent(value: unknown): value is ChangeEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event['table'] === 'string' &&
    (TABLE_NAMES as readonly string[]).includes(event['table']) &&
    typeof event['tenantId'] === 'string' &&
    ['insert', 'update', 'delete'].includes(event['operation'] as string)
  );
}

export interface PostgresRelay {
  close(): Promise<void>;
}

/** Relays `events` through PostgreSQL at `url`; resolves once it listens. */
export async function startPostgresRelay(url: string, db: Database, events: ChangeEvents, logger: Logger): Promise<PostgresRelay> {
  const origin = randomUUID();
  // The changes that came from other processes: announced here, never sent back out.
  const received = new WeakSet<ChangeEvent>();
  let closed = false;
  let listener: pg.Client | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const onNotification = (message: pg.Notification): void => {
    if (message.channel !== CHANGES_CHANNEL || message.payload === undefined) return;
    let payload: Partial<Payload>;
    try {
      payload = JSON.parse(message.payload) as Partial<Payload>;
    } catch {
      return;
    }
    if (payload.origin === origin || !isChangeEvent(payload.event)) return;
    const event = { ...payload.event };
    received.add(event);
    events.emit(event);
  };

  const listen = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', onNotification);
    client.on('error', () => undefined);
    client.on('end', () => {
      if (listener !== client || closed) return;
      listener = null;
      logger.warn(`lost the ${CHANGES_CHANNEL} listener; reconnecting`);
      scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    listener = client;
  };

  const scheduleReconnect = (): void => {
    if (closed) return;
    retry = setTimeout(() => {
      listen().catch(() => {
        scheduleReconnect();
      });
    }, RECONNECT_MS);
  };

  await listen();

  const unsubscribe = events.subscribe((event) => {
    if (received.has(event)) return;
    let text = JSON.stringify({ origin, event } satisfies Payload);
    if (text.length > MAX_PAYLOAD_CHARS) {
      const { ids: _ids, ...rest } = event;
      text = JSON.stringify({ origin, event: rest } satisfies Payload);
    }
    db.query({ sql: 'select pg_notify($1, $2)', parameters: [CHANGES_CHANNEL, text] }).catch((error: unknown) => {
      logger.warn(`cannot announce a change on ${CHANGES_CHANNEL}:`, error instanceof Error ? error.message : String(error));
    });
  });

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      unsubscribe();
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
    },
  };
}
