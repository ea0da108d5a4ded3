export { openDatabase, type CompiledStatement, type Database, type DialectName } from './database.js';
export { DatabaseOpenError } from './errors.js';
export { DEFAULT_TENANT_ID } from './tenant.js';
export * from './tables.js';
