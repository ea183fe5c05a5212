/**
 * A fixed-concurrency HTTP load driver over undici: N requests spread over C connections, every
 * latency recorded, so percentiles are exact rather than sampled.
 */
import { Pool } from 'undici';

/** One request to send; `body` is JSON text. */
export interface Shot {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: string;
}

/** The outcome of a run. */
export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  /** Status codes seen other than the expected ones, with counts. */
  unexpected: Record<string, number>;
  /** Every latency, sorted (ms); absent for figures not made of requests (a full sync's total). */
  latencies?: Float64Array;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Sends `count` requests made by `next(i)` with `concurrency` in flight; latencies in milliseconds.
 * `warmup` requests, made by `next(0)` … `next(warmup - 1)`, go first on the same connections and are
 * not recorded (the server's and this process's JIT, the connections); the measured ones are then
 * `next(warmup)` … `next(warmup + count - 1)`.
 */
export async function load(
  origin: string,
  options: { concurrency: number; count: number; warmup?: number; headers: Record<string, string>; expect?: number[] },
  next: (i: number) => Shot,
): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: options.concurrency, pipelining: 1 });
  const warmup = options.warmup ?? 0;
  let warmed = 0;
  const warm = async () => {
    while (warmed < warmup) {
      const shot = next(warmed++);
      const res = await pool.request({ origin, method: shot.method, path: shot.path, headers: options.headers, body: shot.body });
      await res.body.dump();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, warm));
  const latencies = new Float64Array(options.count);
  const unexpected: Record<string, number> = {};
  let errors = 0;
  let issued = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (;;) {
      const i = issued++;
      if (i >= options.count) return;
      const shot = next(warmup + i);
      const t0 = process.hrtime.bigint();
      try {
        const res = await pool.request({ origin, method: shot.method, path: shot.path, headers: options.headers, body: shot.body });
        await res.body.dump();
        if (options.expect && !options.expect.includes(res.statusCode)) unexpected[res.statusCode] = (unexpected[res.statusCode] ?? 0) + 1;
      } catch {
        errors++;
      }
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.close();
  return summary(latencies, seconds, errors, unexpected);
}

function summary(latencies: Float64Array, seconds: number, errors: number, unexpected: Record<string, number>): LoadResult {
  const sorted = latencies.slice().sort();
  return {
    requests: sorted.length,
    seconds,
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    errors,
    unexpected,
    latencies: sorted,
  };
}

/**
 * Runs measured in parts (bench/run.ts takes a scenario's parts on each server in turn) as one: every
 * latency of the parts, their requests over their summed time.
 */
export function mergeResults(parts: readonly LoadResult[]): LoadResult {
  if (parts.length === 1) return parts[0];
  const all = new Float64Array(parts.reduce((n, p) => n + (p.latencies?.length ?? 0), 0));
  let at = 0;
  for (const part of parts) {
    if (!part.latencies) throw new Error('mergeResults: a part without latencies');
    all.set(part.latencies, at);
    at += part.latencies.length;
  }
  const unexpected: Record<string, number> = {};
  for (const part of parts) for (const [code, n] of Object.entries(part.unexpected)) unexpected[code] = (unexpected[code] ?? 0) + n;
  const sum = (pick: (p: LoadResult) => number) => parts.reduce((n, p) => n + pick(p), 0);
  return summary(all, sum((p) => p.seconds), sum((p) => p.errors), unexpected);
}

/** One request, for setup steps; throws on an unexpected status. */
export async function call(origin: string, headers: Record<string, string>, shot: Shot, expect: number[] = [200, 201, 204]): Promise<unknown> {
  const res = await fetch(`${origin}${shot.path}`, { method: shot.method, headers, body: shot.body });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${shot.method} ${shot.path} → ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}
