/**
 * The tenant that owns every row written without an explicit tenant, and that a bare API key
 * (or an open server with no keys) reads and writes. A fixed value, so a data directory or a
 * PostgreSQL database keeps its meaning across restarts.
 */
export const DEFAULT_TENANT_ID = '00000000-0000-4000-8000-000000000000';
