export * from './errors.js';
export * from './client/client.js';
export * from './states/index.js';
