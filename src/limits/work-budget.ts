/**
 * Per-connection work budgets: what a SCIM connection's requests cost, not only how many it sends.
 * Each connection has a balance of milliseconds of work that refills at `msPerSecond` up to
 * `burstMs`; a request is admitted while the balance is not negative, and pays for its queries as
 * they run and for its response when it ends, so a connection that sends expensive requests (substring filters over 100,000 users,
 * a 100,000-member group) runs into debt and gets 429 until it has paid, while connections sending
 * cheap requests never notice it. Requests still running count at the connection's recent average
 * cost, so that many expensive requests sent at once are not all admitted on one balance.
 * `maxInFlight` caps the requests a connection has open at once.
 * In-process, like the request-count limit (src/limits/token-bucket.ts).
 */

/** The outcome of asking to start a request. */
export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number; reason: 'in-flight' | 'work' };

/** Limits of every connection's budget; 0 turns a limit off. */
export interface WorkBudgetLimits {
  /** Milliseconds of work a connection may use per second (SCIM_COST_LIMIT). */
  msPerSecond: number;
  /** Milliseconds of work a connection may use at once after idling (SCIM_COST_BURST). */
  burstMs: number;
  /** Requests a connection may have in flight at once (SCIM_CONCURRENCY_LIMIT). */
  maxInFlight: number;
}

interface Budget {
  /** Milliseconds of work left; negative while the connection is in debt. */
  balance: number;
  /** When `balance` was last brought up to date (ms). */
  at: number;
  inFlight: number;
  /** Recent average cost of a request (ms), an exponentially weighted mean. */
  averageMs: number;
  /** Query time charged while requests ran that no ended request has counted as its own yet. */
  unsettledMs: number;
}

/** The weight of the latest request in `averageMs`. */
const AVERAGE_WEIGHT = 0.2;

export class WorkBudgets {
  private readonly budgets = new Map<string, Budget>();
  /** Requests in flight over every key: while none is, queries are not looked at. */
  private running = 0;

  constructor(
    private readonly limits: WorkBudgetLimits,
    /** Beyond this many keys, idle connections with full budgets are forgotten. */
    private readonly maxKeys = 100_000,
  ) {}

  private budget(key: string, now: number): Budget {
    let budget = this.budgets.get(key);
    if (!budget) {
      if (this.budgets.size >= this.maxKeys) this.forgetIdle(now);
      budget = { balance: this.limits.burstMs, at: now, inFlight: 0, averageMs: 0, unsettledMs: 0 };
      this.budgets.set(key, budget);
    } else if (this.limits.msPerSecond > 0) {
      budget.balance = Math.min(this.limits.burstMs, budget.balance + ((now - budget.at) / 1000) * this.limits.msPerSecond);
      budget.at = now;
    }
    return budget;
  }

  /** Starts a request of `key` if its budget allows; an admitted request must be `settle`d once. */
  admit(key: string, now = Date.now()): Admission {
    const budget = this.budget(key, now);
    if (this.limits.maxInFlight > 0 && budget.inFlight >= this.limits.maxInFlight) return { ok: false, retryAfterSeconds: 1, reason: 'in-flight' };
    const available = budget.balance - budget.inFlight * budget.averageMs;
    if (this.limits.msPerSecond > 0 && available < 0) {
      // RFC 9110 §10.2.3: whole seconds, never 0; by then the debt is paid.
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(-available / this.limits.msPerSecond)), reason: 'work' };
    }
    budget.inFlight++;
    this.running++;
    return { ok: true };
  }

  /**
   * Charges a query that took `ms` to the key among its `parameters` that has requests in flight
   * (src/db/query-time.ts): SCIM queries name their connection. Queries of no such key are free.
   */
  chargeQuery(parameters: readonly unknown[], ms: number): void {
    if (this.running === 0) return;
    for (const parameter of parameters) {
      if (typeof parameter !== 'string') continue;
      const budget = this.budgets.get(parameter);
      if (!budget || budget.inFlight === 0) continue;
      budget.unsettledMs += ms;
      if (this.limits.msPerSecond > 0) budget.balance = Math.max(-this.limits.burstMs, budget.balance - ms);
      return;
    }
  }

  /**
   * Ends an admitted request of `key`, charging `costMs` besides its queries (its response's bytes).
   * The debt is capped at one burst, so that a single request however large locks its connection
   * out for at most burst / rate seconds.
   */
  settle(key: string, costMs: number, now = Date.now()): void {
    const budget = this.budget(key, now);
    if (budget.inFlight === 0) return;
    // Queries of requests running side by side are not told apart: each takes its share.
    const queries = budget.unsettledMs / budget.inFlight;
    budget.unsettledMs -= queries;
    budget.inFlight--;
    this.running--;
    budget.averageMs += AVERAGE_WEIGHT * (queries + costMs - budget.averageMs);
    if (this.limits.msPerSecond > 0) budget.balance = Math.max(-this.limits.burstMs, budget.balance - costMs);
  }

  /** Drops connections with nothing in flight and a full budget; if that is not enough, idle ones. */
  private forgetIdle(now: number): void {
    for (const [key, budget] of this.budgets) {
      const full = this.limits.msPerSecond === 0 || budget.balance + ((now - budget.at) / 1000) * this.limits.msPerSecond >= this.limits.burstMs;
      if (budget.inFlight === 0 && full) this.budgets.delete(key);
    }
    if (this.budgets.size < this.maxKeys) return;
    for (const [key, budget] of this.budgets) if (budget.inFlight === 0) this.budgets.delete(key);
  }
}
