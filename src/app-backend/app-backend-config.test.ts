/** The app backend's settings in src/config.ts: defaults, and one-sentence refusals naming the variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

describe('app backend configuration', () => {
  it('has documented defaults', () => {
    expect(loadConfig({}).appBackend).toEqual({
      appId: undefined,
      clientSecret: undefined,
      signedUrlTtlSeconds: 300,
      uploadLimitBytes: 512 * 1024 * 1024,
      urlSigningKey: undefined,
      hubspotBaseUrl: 'https://api.hubapi.com',
      hubspotAccessToken: undefined,
      hubspotDeveloperApiKey: undefined,
    });
  });

  it('reads every variable', () => {
    const c = loadConfig({
      CALLSCRIBE_APP_ID: '424242',
      CALLSCRIBE_APP_CLIENT_SECRET: 's',
      CALLSCRIBE_SIGNED_URL_TTL: '60',
      CALLSCRIBE_UPLOAD_LIMIT_MB: '2',
      CALLSCRIBE_URL_SIGNING_KEY: 'k'.repeat(32),
      HUBSPOT_BASE_URL: 'http://127.0.0.1:9999/',
      HUBSPOT_ACCESS_TOKEN: 't',
      HUBSPOT_DEVELOPER_API_KEY: 'd',
    }).appBackend;
    expect(c).toMatchObject({
      appId: '424242',
      clientSecret: 's',
      signedUrlTtlSeconds: 60,
      uploadLimitBytes: 2 * 1024 * 1024,
      hubspotBaseUrl: 'http://127.0.0.1:9999',
      hubspotAccessToken: 't',
      hubspotDeveloperApiKey: 'd',
    });
  });

  it.each([
    [{ CALLSCRIBE_SIGNED_URL_TTL: '-5' }, /CALLSCRIBE_SIGNED_URL_TTL/],
    [{ CALLSCRIBE_UPLOAD_LIMIT_MB: 'lots' }, /CALLSCRIBE_UPLOAD_LIMIT_MB/],
    [{ CALLSCRIBE_URL_SIGNING_KEY: 'short' }, /CALLSCRIBE_URL_SIGNING_KEY must be at least 32/],
    [{ HUBSPOT_BASE_URL: 'ftp://x' }, /HUBSPOT_BASE_URL/],
    [{ CALLSCRIBE_S3_BUCKET: 'b', CALLSCRIBE_S3_ENDPOINT: 'nope' }, /CALLSCRIBE_S3_ENDPOINT/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
