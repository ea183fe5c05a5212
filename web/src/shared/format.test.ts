import { describe, expect, it } from 'vitest';
import { plural } from './format.js';

describe('plural', () => {
  it('puts the noun in the number of the count', () => {
    expect(plural(1, 'error')).toBe('1 error');
    expect(plural(0, 'error')).toBe('0 errors');
    expect(plural(2, 'request')).toBe('2 requests');
    expect(plural(1, 'hour')).toBe('1 hour');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
    expect(plural(12_345, 'event')).toBe(`${(12_345).toLocaleString()} events`);
  });
});
