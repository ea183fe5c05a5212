import { describe, expect, it } from 'vitest';
import { MAX_LOGGED_BODY, redactBody } from './redact.js';

describe('redactBody', () => {
  it('redacts secret keys at any depth, in any letter case', () => {
    const text = redactBody({ userName: 'a', Password: 'p1', nested: { token: 't', list: [{ secret: 's', keep: 1 }] } })!;
    expect(JSON.parse(text)).toEqual({ userName: 'a', Password: '[redacted]', nested: { token: '[redacted]', list: [{ secret: '[redacted]', keep: 1 }] } });
  });

  it('redacts a password set by a PATCH path', () => {
    const text = redactBody({ Operations: [{ op: 'replace', path: 'password', value: 'p2' }, { op: 'replace', path: 'active', value: false }] })!;
    expect(text).not.toContain('p2');
    expect(JSON.parse(text).Operations[1].value).toBe(false);
  });

  it('caps the size and says so', () => {
    const text = redactBody({ userName: 'x'.repeat(MAX_LOGGED_BODY * 2) })!;
    expect(text.length).toBeLessThan(MAX_LOGGED_BODY + 100);
    expect(text).toMatch(/truncated \d+ characters\]$/);
  });

  it('has nothing to log for an empty body', () => {
    expect(redactBody(undefined)).toBeNull();
    expect(redactBody('')).toBeNull();
  });
});
