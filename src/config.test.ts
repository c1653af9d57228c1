import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has documented defaults and is frozen', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      databaseUrl: undefined,
      redisUrl: undefined,
      devMode: true,
      publicUrl: 'http://127.0.0.1:8787',
    });
    expect(config.dataDir.endsWith('.callscribe')).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('NODE_ENV=production switches dev mode off', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).devMode).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT must be/],
    [{ PORT: '70000' }, /^PORT must be/],
    [{ DATABASE_URL: 'mysql://x/y' }, /^DATABASE_URL must start with postgres:/],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL must be a URL/],
    [{ REDIS_URL: 'http://x' }, /^REDIS_URL must start with redis:/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
  ])('refuses %o with one sentence naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('accepts PostgreSQL and Redis URLs', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(c.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
  });
});
