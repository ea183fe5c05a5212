/**
 * Service accounts: key files as the Cloud console downloads them, domain-wide delegation as a Workspace
 * admin grants it (scopes per client ID), and the check of the JWT assertion a client signs with the key
 * (https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests).
 */
import { generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { oauthErrors } from './errors.js';
import type { Prng } from '../prng.js';

/** The audience google-auth-library (gtoken) always signs, and the one Google documents. */
export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
/** Older token URLs Google still accepts as the audience. */
const LEGACY_AUDIENCES = ['https://accounts.google.com/o/oauth2/token', 'https://www.googleapis.com/oauth2/v4/token'];
/** Google refuses assertions that live longer than an hour, and tolerates this much clock skew. */
const MAX_LIFETIME_SECONDS = 3600;
const SKEW_SECONDS = 300;

/** A registered service account. */
export interface ServiceAccount {
  clientEmail: string;
  clientId: string;
  keyId: string;
  publicKey: KeyObject;
  /** Scopes a Workspace admin allowed its client ID under domain-wide delegation. */
  delegatedScopes: Set<string>;
}

/** The claims of a verified assertion that the token endpoint acts on. */
export interface Assertion {
  account: ServiceAccount;
  scopes: string[];
  /** The user to impersonate; absent when the service account acts as itself. */
  sub?: string;
}

const PROJECT_ID = 'rollcall-test';

export class ServiceAccounts {
  /** One RSA 2048 key pair for every account of the stand-in: generating one takes tens of milliseconds. */
  private keyPair?: { privatePem: string; publicKey: KeyObject };
  private readonly byEmail = new Map<string, ServiceAccount>();

  constructor(
    private readonly random: Prng,
    /** Audiences accepted besides Google's own: the stand-in's token URL. */
    private readonly extraAudiences: string[],
  ) {}

  /** A new service account and its key file, delegated `delegatedScopes`. */
  createKey(delegatedScopes: string[]): Record<string, unknown> {
    this.keyPair ??= (() => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
    })();
    const name = `rollcall-sync-${this.byEmail.size + 1}`;
    const account: ServiceAccount = {
      clientEmail: `${name}@${PROJECT_ID}.iam.gserviceaccount.com`,
      clientId: `1${Array.from({ length: 20 }, () => this.random.int(10)).join('')}`,
      keyId: randomBytes(20).toString('hex'),
      publicKey: this.keyPair.publicKey,
      delegatedScopes: new Set(delegatedScopes),
    };
    this.byEmail.set(account.clientEmail, account);
    return {
      type: 'service_account',
      project_id: PROJECT_ID,
      private_key_id: account.keyId,
      private_key: this.keyPair.privatePem,
      client_email: account.clientEmail,
      client_id: account.clientId,
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: GOOGLE_TOKEN_AUDIENCE,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(account.clientEmail)}`,
      universe_domain: 'googleapis.com',
    };
  }

  /** Removes the account's domain-wide delegation; false when there is no such account. */
  revokeDelegation(clientEmail: string): boolean {
    const account = this.byEmail.get(clientEmail);
    account?.delegatedScopes.clear();
    return Boolean(account);
  }

  /**
   * Checks an assertion (RFC 7523 §3) the way Google's token endpoint does and returns what it grants;
   * throws the OAuthError Google answers with. Delegation and the subject are checked by the caller.
   */
  verify(assertion: string): Assertion {
    const parts = assertion.split('.');
    if (parts.length !== 3) throw oauthErrors.badSignature();
    const header = decodeJson(parts[0]);
    const claims = decodeJson(parts[1]);
    if (!header || !claims || header.alg !== 'RS256') throw oauthErrors.badSignature();
    // gtoken sends no `kid`; a client that does names the key, which must belong to `iss`.
    const account = typeof claims.iss === 'string' ? this.byEmail.get(claims.iss) : undefined;
    if (!account) throw oauthErrors.accountNotFound();
    if (header.kid !== undefined && header.kid !== account.keyId) throw oauthErrors.badSignature();
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!verify('RSA-SHA256', signed, account.publicKey, Buffer.from(parts[2], 'base64url'))) throw oauthErrors.badSignature();

    const audiences = [GOOGLE_TOKEN_AUDIENCE, ...LEGACY_AUDIENCES, ...this.extraAudiences];
    if (typeof claims.aud !== 'string' || !audiences.includes(claims.aud)) throw oauthErrors.badAudience(GOOGLE_TOKEN_AUDIENCE);
    const now = Math.floor(Date.now() / 1000);
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp <= now - SKEW_SECONDS || iat > now + SKEW_SECONDS || exp - iat > MAX_LIFETIME_SECONDS) {
      throw oauthErrors.badLifetime();
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
    if (scopes.length === 0) throw oauthErrors.noScope();
    return { account, scopes, ...(typeof claims.sub === 'string' && claims.sub ? { sub: claims.sub } : {}) };
  }
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
