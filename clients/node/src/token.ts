/**
 * The environment token: exchanged for the vendor credential on first use, kept until shortly before it
 * expires, and exchanged again then or when the server refuses it. One exchange runs at a time, however
 * many calls are waiting for a token.
 */
import { RollcallError } from './errors.js';
import type { Http } from './http.js';
import { OPERATIONS, type CallResult } from './operations.js';

/** A vendor credential (`rollcall credentials create`, or ROLLCALL_CLIENT_ID / ROLLCALL_CLIENT_SECRET). */
export interface Credential {
  clientId: string;
  secret: string;
}

/** A token and when to stop using it, in milliseconds since the epoch. */
interface HeldToken {
  token: string;
  renewAt: number;
}

/** At most this long before expiry the token is renewed, and earlier for short lifetimes. */
const RENEW_MARGIN_MS = 60_000;
/** The share of a token's lifetime left when it is renewed, when that is less than RENEW_MARGIN_MS. */
const RENEW_SHARE = 0.1;

/** When a token valid for `expiresIn` seconds from `issuedAt` should be renewed. */
export function renewalTime(issuedAt: number, expiresIn: number): number {
  const lifetime = expiresIn * 1000;
  return issuedAt + lifetime - Math.min(RENEW_MARGIN_MS, lifetime * RENEW_SHARE);
}

/** Holds the environment token of one client. */
export class TokenSource {
  private held: HeldToken | undefined;
  private exchanging: Promise<string> | undefined;

  constructor(
    private readonly http: Http,
    private readonly baseUrl: string,
    private readonly credential: Credential,
  ) {}

  /** A token to send: the held one while it is fresh, else a new one. */
  async token(): Promise<string> {
    if (this.held && Date.now() < this.held.renewAt) return this.held.token;
    return this.exchange();
  }

  /**
   * A token other than `refused`, which the server answered 401 to (revoked, or the credential rotated).
   * When another call has already replaced it, that replacement is used rather than a second exchange.
   */
  async replace(refused: string): Promise<string> {
    if (this.held && this.held.token !== refused) return this.held.token;
    this.held = undefined;
    return this.exchange();
  }

  private exchange(): Promise<string> {
    this.exchanging ??= this.requestToken().finally(() => {
      this.exchanging = undefined;
    });
    return this.exchanging;
  }

  private async requestToken(): Promise<string> {
    // Timed from before the request, so a slow answer makes the token be renewed early rather than late.
    const issuedAt = Date.now();
    const { method, path } = OPERATIONS.exchangeToken;
    const answer = (await this.http.send({
      method: method.toUpperCase(),
      url: this.baseUrl + path,
      body: { clientId: this.credential.clientId, secret: this.credential.secret },
      retryable: true,
    })) as CallResult<'exchangeToken'>;
    if (typeof answer?.token !== 'string' || typeof answer.expiresIn !== 'number') {
      throw new RollcallError({ status: 200, code: 'internal', message: `${path} answered without a token and its expiresIn`, body: answer });
    }
    this.held = { token: answer.token, renewAt: renewalTime(issuedAt, answer.expiresIn) };
    return answer.token;
  }
}
