import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from '../src/config.js';

describe('configuration', () => {
  it('has defaults that need nothing installed', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: 'sqlite:./data/rollcall.db', publicUrl: 'http://localhost:3000', envTokenTtlSeconds: 3600 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://scim.example.com/' }).publicUrl).toBe('https://scim.example.com');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with sqlite:/],
    [{ PUBLIC_URL: 'not a url' }, /PUBLIC_URL must be an absolute/],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must use http/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ ROLLCALL_CLIENT_ID: 'bot' }, /must be set together/],
    [{ ROLLCALL_CLIENT_ID: 'bot', ROLLCALL_CLIENT_SECRET: 'short' }, /24–256 characters/],
    [{ ENV_TOKEN_TTL_SECONDS: '5' }, /ENV_TOKEN_TTL_SECONDS must be between/],
  ])('rejects %j with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never prints a database password', () => {
    expect(redactUrl('postgres://rollcall:s3cret@db:5432/rollcall')).toBe('postgres://rollcall:***@db:5432/rollcall');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:s3cret@h/db' })).toThrow(/^(?!.*s3cret)/);
  });
});
