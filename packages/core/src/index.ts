export * from './errors.js';
export * from './client/client.js';
export * from './states/index.js';
export { resolveConnection, DEFAULT_API_URL, PREFECT_CLOUD_API_URL, type ConnectionSettings, type Environment } from './client/config.js';
