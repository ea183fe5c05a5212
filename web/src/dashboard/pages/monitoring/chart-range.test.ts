import { describe, expect, it } from 'vitest';
import { fittedStart, MIN_CHART_SPAN_MS } from './chart-range.js';
import type { Timeseries } from './types.js';

const TO = '2026-11-29T12:00:00.000Z';
const FROM = '2026-11-28T12:00:00.000Z';
const series = (...at: string[]): Timeseries => ({ bucketSeconds: 900, from: FROM, to: TO, items: at.map((a) => ({ at: a, connectionId: 'c', requests: 1, errors: 0 })) });

describe('the request chart’s span', () => {
  it('starts at the first request when the requests fill less than half of the period', () => {
    expect(fittedStart(series('2026-11-29T06:15:00.000Z', '2026-11-29T11:45:00.000Z'), FROM, TO)).toBe('2026-11-29T06:15:00.000Z');
  });

  it('shows at least an hour: requests of the last minutes get the last hour', () => {
    expect(fittedStart(series('2026-11-29T11:45:00.000Z'), FROM, TO)).toBe(new Date(Date.parse(TO) - MIN_CHART_SPAN_MS).toISOString());
  });

  it('keeps the whole period when the requests fill more than half of it, or there are none', () => {
    expect(fittedStart(series('2026-11-28T20:00:00.000Z', '2026-11-29T11:45:00.000Z'), FROM, TO)).toBeUndefined();
    expect(fittedStart(series(), FROM, TO)).toBeUndefined();
    // A period of an hour or less never narrows.
    expect(fittedStart(series('2026-11-29T11:55:00.000Z'), '2026-11-29T11:00:00.000Z', TO)).toBeUndefined();
  });
});
