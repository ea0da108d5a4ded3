/** `GET /health`: `{ status, database }`, after a round trip to the database. */
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/database.js';

export function useHealth(db: Database, path = '/health'): Plugin {
  return {
    async onRequest(payload) {
      if (payload.url.pathname !== path) return;
      try {
        await db.query({ sql: 'select 1', parameters: [] });
        payload.endResponse(Response.json({ status: 'ok', database: db.dialect }));
      } catch {
        payload.endResponse(Response.json({ status: 'unavailable', database: db.dialect }, { status: 503 }));
      }
    },
  };
}
