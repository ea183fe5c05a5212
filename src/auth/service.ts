/** Vendor credentials, their exchange for environment tokens, and the start-up bootstrap. */
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../db/errors.js';
import { isoIn, nowIso } from '../db/time.js';
import {
  TOKEN_PREFIXES,
  UNMATCHABLE_SECRET_HASH,
  constantTimeEqual,
  generateToken,
  hashSecret,
  hashToken,
  verifySecret,
} from '../security/secrets.js';
import type { AuthStore } from './store.js';

/** Who is calling the management API. */
export interface EnvironmentPrincipal {
  kind: 'environment';
  credentialId: string;
  clientId: string;
  /** The credential's label (`rollcall credentials create --name`), for people to tell credentials apart. */
  name: string;
}

/** A credential as shown once, at creation. */
export interface NewCredential {
  clientId: string;
  secret: string;
}

const BOOTSTRAP_KEY = 'bootstrap.credential';

/** Logic of vendor authentication. */
export class AuthService {
  constructor(
    private readonly store: AuthStore,
    private readonly tokenTtlSeconds: number,
  ) {}

  /** Creates a credential with a generated clientId and secret. */
  async createCredential(name: string): Promise<NewCredential> {
    const clientId = randomUUID();
    const secret = generateToken(TOKEN_PREFIXES.vendorSecret);
    await this.store.insertCredential({
      id: randomUUID(),
      client_id: clientId,
      secret_hash: await hashSecret(secret),
      name,
      created_at: nowIso(),
      last_used_at: null,
    });
    return { clientId, secret };
  }

  /** Registers (or re-keys) the credential given by ROLLCALL_CLIENT_ID / ROLLCALL_CLIENT_SECRET. */
  async registerCredential(clientId: string, secret: string): Promise<void> {
    const existing = await this.store.findCredentialByClientId(clientId);
    if (existing) {
      if (!(await verifySecret(secret, existing.secret_hash))) await this.store.replaceSecret(clientId, await hashSecret(secret));
      return;
    }
    try {
      await this.store.insertCredential({
        id: randomUUID(),
        client_id: clientId,
        secret_hash: await hashSecret(secret),
        name: 'configured (ROLLCALL_CLIENT_ID)',
        created_at: nowIso(),
        last_used_at: null,
      });
    } catch (error) {
      // Another process registered the same clientId at the same moment: same outcome.
      if (!isUniqueViolation(error)) throw error;
    }
  }

  /**
   * On first start with no configured credential, creates one and returns it so it can be printed once.
   * The claim on a settings row makes this happen once even when several processes start together.
   */
  async bootstrapFirstCredential(): Promise<NewCredential | undefined> {
    if ((await this.store.countCredentials()) > 0) return undefined;
    if (!(await this.store.claimSetting(BOOTSTRAP_KEY, 'generated', nowIso()))) return undefined;
    return this.createCredential('generated at first start');
  }

  /**
   * Checks a clientId and secret, and records the use of the credential; the principal they stand for,
   * or undefined when they do not match. Used by the token exchange and by web UI sign-in (src/sessions).
   */
  async verifyCredential(clientId: string, secret: string): Promise<EnvironmentPrincipal | undefined> {
    const credential = await this.store.findCredentialByClientId(clientId);
    // Verify against a dummy hash for unknown clientIds so timing does not reveal which exist.
    const ok = await verifySecret(secret, credential?.secret_hash ?? UNMATCHABLE_SECRET_HASH);
    if (!credential || !ok) return undefined;
    await this.store.touchCredential(credential.id, nowIso());
    return { kind: 'environment', credentialId: credential.id, clientId: credential.client_id, name: credential.name };
  }

  /** Exchanges a clientId and secret for an environment token; undefined when they do not match. */
  async exchange(clientId: string, secret: string): Promise<{ token: string; expiresIn: number } | undefined> {
    const principal = await this.verifyCredential(clientId, secret);
    if (!principal) return undefined;
    const token = generateToken(TOKEN_PREFIXES.environment);
    await this.store.insertEnvironmentToken({
      id: randomUUID(),
      tokenHash: hashToken(token),
      credentialId: principal.credentialId,
      createdAt: nowIso(),
      expiresAt: isoIn(this.tokenTtlSeconds),
    });
    return { token, expiresIn: this.tokenTtlSeconds };
  }

  /** The principal of a live environment token, or undefined. */
  async authenticate(token: string): Promise<EnvironmentPrincipal | undefined> {
    if (!token.startsWith(TOKEN_PREFIXES.environment) || token.length > 200) return undefined;
    const hash = hashToken(token);
    const row = await this.store.findLiveEnvironmentToken(hash, nowIso());
    if (!row || !constantTimeEqual(row.tokenHash, hash)) return undefined;
    return { kind: 'environment', credentialId: row.credentialId, clientId: row.clientId, name: row.name };
  }

  /** Removes expired tokens; returns how many. */
  pruneExpiredTokens(): Promise<number> {
    return this.store.deleteExpiredEnvironmentTokens(nowIso());
  }
}
