import { describe, expect, it } from 'vitest';
import { readConsentReturn } from './consent-return.js';

describe('the return from Google consent', () => {
  it('reads the connection and the outcome the callback added', () => {
    expect(readConsentReturn('?googleConnection=c1&googleWorkspace=connected')).toEqual({ connectionId: 'c1', outcome: { connected: true } });
    expect(readConsentReturn('?googleConnection=c1&googleWorkspace=error&reason=The+admin+did+not+grant+access')).toEqual({
      connectionId: 'c1',
      outcome: { connected: false, reason: 'The admin did not grant access' },
    });
  });

  it('names a connection without an outcome, and nothing without either', () => {
    expect(readConsentReturn('?googleConnection=c2')).toEqual({ connectionId: 'c2' });
    expect(readConsentReturn('?tenantId=acme')).toBeUndefined();
    expect(readConsentReturn('?googleWorkspace=error')).toEqual({ connectionId: undefined, outcome: { connected: false, reason: 'Google did not say why.' } });
  });
});
