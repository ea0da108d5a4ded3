// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://dash.example.com/runs/abc" }
import { describe, expect, test } from 'vitest';
import { DEFAULT_API_URL, resolveConfig } from '../../src/config';

describe('where the dashboard reads from', () => {
  test('without settings: the local runview serve, no key', () => {
    expect(resolveConfig(undefined, {})).toEqual({ apiUrl: DEFAULT_API_URL, apiKey: undefined });
    expect(resolveConfig({}, { VITE_RUNVIEW_API_URL: '  ' })).toEqual({ apiUrl: DEFAULT_API_URL, apiKey: undefined });
  });

  test("the build's environment, trimmed", () => {
    expect(resolveConfig(undefined, { VITE_RUNVIEW_API_URL: ' https://prefect.example.com/graphql ', VITE_RUNVIEW_API_KEY: ' k ' })).toEqual({
      apiUrl: 'https://prefect.example.com/graphql',
      apiKey: 'k',
    });
  });

  test("runtime settings (config.js) win over the build's", () => {
    const env = { VITE_RUNVIEW_API_URL: 'https://build.example.com/graphql', VITE_RUNVIEW_API_KEY: 'build-key' };
    expect(resolveConfig({ apiUrl: 'https://runtime.example.com/graphql', apiKey: 'runtime-key' }, env)).toEqual({
      apiUrl: 'https://runtime.example.com/graphql',
      apiKey: 'runtime-key',
    });
    // A key alone keeps the build's URL.
    expect(resolveConfig({ apiKey: 'runtime-key' }, env)).toEqual({ apiUrl: 'https://build.example.com/graphql', apiKey: 'runtime-key' });
  });

  test("a runtime URL without a key sends no key, not the build's key for another server", () => {
    expect(resolveConfig({ apiUrl: 'https://runtime.example.com/graphql' }, { VITE_RUNVIEW_API_KEY: 'build-key' }).apiKey).toBeUndefined();
    expect(resolveConfig({ apiUrl: 'https://runtime.example.com/graphql', apiKey: ' ' }, { VITE_RUNVIEW_API_KEY: 'build-key' }).apiKey).toBeUndefined();
  });

  test('a relative URL is resolved against the page, for an API behind the same host', () => {
    expect(resolveConfig({ apiUrl: '/graphql' }, {}).apiUrl).toBe('https://dash.example.com/graphql');
  });
});
