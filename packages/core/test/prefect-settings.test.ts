// Prefect 1's own settings, resolved as Prefect's configuration loader does: defaults, then
// ~/.prefect/config.toml, then backend.toml, then PREFECT__ variables; references expanded.
import { describe, expect, it } from 'vitest';
import { prefectApiSettings } from '../src/index.js';

describe('prefectApiSettings', () => {
  it('names no API when no setting says where it is', () => {
    expect(prefectApiSettings({ env: {} })).toBeNull();
    expect(prefectApiSettings({ env: { PREFECT__LOGGING__LEVEL: 'DEBUG' }, userConfig: { logging: { level: 'INFO' } } })).toBeNull();
  });

  it('builds server.endpoint from PREFECT__SERVER__HOST and PREFECT__SERVER__PORT, without a path', () => {
    expect(prefectApiSettings({ env: { PREFECT__SERVER__HOST: 'http://prefect.internal', PREFECT__SERVER__PORT: '4300' } })).toEqual({
      url: 'http://prefect.internal:4300',
      apiKey: null,
      tenantId: null,
      source: 'PREFECT__SERVER__HOST + PREFECT__SERVER__PORT',
    });
    expect(prefectApiSettings({ env: { PREFECT__SERVER__PORT: '4300' } })?.url).toBe('http://localhost:4300');
  });

  it('takes backend.toml over config.toml and the environment over both', () => {
    const userConfig = {
      backend: 'cloud',
      server: { endpoint: 'http://from-config:4200' },
      cloud: { endpoint: 'https://cloud.example', api_key: 'config-key' },
    };
    const backendConfig = { backend: 'server' };
    expect(prefectApiSettings({ env: {}, userConfig })).toMatchObject({ url: 'https://cloud.example', apiKey: 'config-key', source: '~/.prefect/config.toml' });
    expect(prefectApiSettings({ env: {}, userConfig, backendConfig })).toMatchObject({
      url: 'http://from-config:4200',
      source: '~/.prefect/backend.toml + ~/.prefect/config.toml',
    });
    expect(prefectApiSettings({ env: { PREFECT__BACKEND: 'cloud', PREFECT__CLOUD__API_KEY: 'env-key' }, userConfig, backendConfig })).toMatchObject({
      url: 'https://cloud.example',
      apiKey: 'env-key',
    });
    expect(prefectApiSettings({ env: { PREFECT__CLOUD__API: 'http://direct/graphql' }, userConfig, backendConfig })).toMatchObject({
      url: 'http://direct/graphql',
      source: 'PREFECT__CLOUD__API',
    });
  });

  it("expands ${section.key} references and $VARIABLES, as Prefect's loader does", () => {
    const userConfig = { server: { host: 'http://$PREFECT_HOST', port: 4201, endpoint: '${server.host}:${server.port}/graphql' } };
    expect(prefectApiSettings({ env: { PREFECT_HOST: 'prefect.internal' }, userConfig })?.url).toBe('http://prefect.internal:4201/graphql');
    expect(prefectApiSettings({ env: { PREFECT__BACKEND: 'cloud' } })?.url).toBe('https://api.prefect.io');
  });
});
