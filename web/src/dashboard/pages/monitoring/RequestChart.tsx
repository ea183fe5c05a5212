/**
 * SCIM requests and errors over time, per connection: one stacked bar per time bucket, a segment per
 * connection in its colour, the errors of each segment hatched in red. Plain SVG with a title, a
 * description, per-bar tooltips, and a visually hidden table of the same numbers. `fitted`: the
 * series starts at the period's first request rather than at the period's start (./chart-range.ts).
 */
import { useId } from 'react';
import { formatCount, plural } from '../../../shared/format.js';
import type { Timeseries } from './types.js';
import './monitoring.css';

const COLOURS = ['#4f46e5', '#0e9f6e', '#d97706', '#0284c7', '#c026d3', '#65a30d', '#db2777', '#475569'];
const W = 800;
const H = 240;
const M = { top: 12, right: 12, bottom: 34, left: 48 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

/** A round axis maximum whose half is a whole number. */
function niceMax(value: number): number {
  if (value <= 2) return 2;
  const pow = 10 ** Math.floor(Math.log10(value));
  for (const f of [1, 2, 4, 6, 8, 10]) if (f * pow >= value) return f * pow;
  return 10 * pow;
}

function timeLabel(ms: number, bucketSeconds: number, spanMs: number): string {
  const date = new Date(ms);
  if (bucketSeconds >= 86_400) return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  if (spanMs > 1.5 * 86_400_000) return date.toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

const fullTime = (ms: number) => new Date(ms).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "12 requests, 1 error". */
const requestsAndErrors = (requests: number, errors: number) => `${plural(requests, 'request')}, ${plural(errors, 'error')}`;

/** "5 minutes", "hour", "day": what one bar stands for. */
function bucketName(seconds: number): string {
  if (seconds >= 86_400) return 'day';
  if (seconds >= 3600) return 'hour';
  return plural(seconds / 60, 'minute');
}

export function RequestChart({ series, nameOf, fitted = false }: { series: Timeseries; nameOf: (connectionId: string) => string; fitted?: boolean }) {
  const id = useId();
  const bucketMs = series.bucketSeconds * 1000;
  const start = Date.parse(series.from);
  const end = Date.parse(series.to);
  const count = Math.max(1, Math.ceil((end - start) / bucketMs));

  // Connections ordered by traffic, so the busiest sits at the bottom of each stack and first in the legend.
  const totals = new Map<string, { requests: number; errors: number }>();
  for (const p of series.items) {
    const t = totals.get(p.connectionId) ?? { requests: 0, errors: 0 };
    t.requests += p.requests;
    t.errors += p.errors;
    totals.set(p.connectionId, t);
  }
  const connections = [...totals.keys()].sort((a, b) => totals.get(b)!.requests - totals.get(a)!.requests);
  const colour = new Map(connections.map((c, i) => [c, COLOURS[i % COLOURS.length]]));

  const buckets: Map<string, { requests: number; errors: number }>[] = Array.from({ length: count }, () => new Map<string, { requests: number; errors: number }>());
  for (const p of series.items) {
    const index = Math.floor((Date.parse(p.at) - start) / bucketMs);
    if (index >= 0 && index < count) buckets[index].set(p.connectionId, { requests: p.requests, errors: p.errors });
  }
  const peak = Math.max(0, ...buckets.map((b) => [...b.values()].reduce((sum, v) => sum + v.requests, 0)));
  const yMax = niceMax(peak);
  const y = (v: number) => (v / yMax) * PLOT_H;
  const slot = PLOT_W / count;
  const barWidth = Math.max(1, slot * 0.72);
  const labelEvery = Math.max(1, Math.ceil(count / 6));

  const requests = [...totals.values()].reduce((s, t) => s + t.requests, 0);
  const errors = [...totals.values()].reduce((s, t) => s + t.errors, 0);
  const summary = `${plural(requests, 'request')} and ${plural(errors, 'error')} from ${fullTime(start)} to ${fullTime(end)}${
    connections.length ? `: ${connections.map((c) => `${nameOf(c)} ${requestsAndErrors(totals.get(c)!.requests, totals.get(c)!.errors)}`).join('; ')}` : ''
  }.`;

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart-svg">
        <title id={`${id}-title`}>SCIM requests and errors over time, per connection</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <defs>
          <pattern id={`${id}-hatch`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#fdecea" opacity="0.55" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#b42318" strokeWidth="3" />
          </pattern>
        </defs>
        <g transform={`translate(${M.left},${M.top})`}>
          {[0, yMax / 2, yMax].map((tick) => (
            <g key={tick}>
              <line x1={0} x2={PLOT_W} y1={PLOT_H - y(tick)} y2={PLOT_H - y(tick)} className="chart-grid" />
              <text x={-6} y={PLOT_H - y(tick)} dy="0.32em" textAnchor="end" className="chart-tick">
                {formatCount(tick)}
              </text>
            </g>
          ))}
          <text transform={`translate(${-38},${PLOT_H / 2}) rotate(-90)`} textAnchor="middle" className="chart-axis-label">
            Requests
          </text>
          {buckets.map((bucket, i) => {
            const x = i * slot + (slot - barWidth) / 2;
            let base = PLOT_H;
            const at = start + i * bucketMs;
            return (
              <g key={i}>
                {connections
                  .filter((c) => bucket.has(c))
                  .map((c) => {
                    const v = bucket.get(c)!;
                    const h = y(v.requests);
                    base -= h;
                    return (
                      <g key={c}>
                        <rect className="chart-bar" data-connection={c} x={x} y={base} width={barWidth} height={Math.max(h, v.requests > 0 ? 1 : 0)} fill={colour.get(c)}>
                          <title>{`${fullTime(at)} — ${nameOf(c)}: ${requestsAndErrors(v.requests, v.errors)}`}</title>
                        </rect>
                        {v.errors > 0 ? <rect className="chart-errors" x={x} y={base} width={barWidth} height={Math.max(y(v.errors), 1)} fill={`url(#${id}-hatch)`} pointerEvents="none" /> : null}
                      </g>
                    );
                  })}
                {i % labelEvery === 0 ? (
                  <text x={i * slot + slot / 2} y={PLOT_H + 18} textAnchor="middle" className="chart-tick">
                    {timeLabel(at, series.bucketSeconds, end - start)}
                  </text>
                ) : null}
              </g>
            );
          })}
          <line x1={0} x2={PLOT_W} y1={PLOT_H} y2={PLOT_H} className="chart-axis" />
        </g>
      </svg>
      <figcaption>
        <ul className="chart-legend" aria-label="Legend">
          {connections.map((c) => (
            <li key={c}>
              <span className="chart-swatch" style={{ background: colour.get(c) }} aria-hidden="true" />
              {nameOf(c)}
            </li>
          ))}
          <li>
            <span className="chart-swatch chart-swatch-errors" aria-hidden="true" />
            Errors (status 400 and above)
          </li>
        </ul>
        <p className="muted chart-total">
          {requestsAndErrors(requests, errors)} · one bar per {bucketName(series.bucketSeconds)}
          {fitted ? ` · from ${fullTime(start)}: no requests earlier in this period` : ''}
        </p>
      </figcaption>
      <table className="sr-only">
        <caption>Requests and errors per time bucket and connection</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Connection</th>
            <th scope="col">Requests</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {series.items.map((p) => (
            <tr key={`${p.at}-${p.connectionId}`}>
              <td>{fullTime(Date.parse(p.at))}</td>
              <td>{nameOf(p.connectionId)}</td>
              <td>{p.requests}</td>
              <td>{p.errors}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
