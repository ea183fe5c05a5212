/**
 * Google Workspace connections: creating them, authorizing them (a super-admin's OAuth consent, or a
 * service account with domain-wide delegation), what they sync and how often, "Sync now", and their
 * sync records. A caller's tenant (self-service) scopes every lookup: another tenant's connection is a 404.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actor.js';
import { appendWithChange } from '../audit/with-change.js';
import type { Connection, ConnectionService } from '../connections/service.js';
import type { Database } from '../db/tables.js';
import { ApiError, conflict, notFound, validationFailed } from '../http/api-errors.js';
import type { Keyring } from '../security/encryption.js';
import { openCredentials, sealCredentials } from './credentials.js';
import { DirectoryReader } from './directory-reader.js';
import { DIRECTORY_SCOPES, directoryApi, oauthClient, parseServiceAccountKey, type GoogleCredentials, type GoogleSetup } from './google-api.js';
import { failureMessage, reauthorizationReason } from './google-errors.js';
import { GoogleWorkspaceStore, type GoogleConnectionRow, type SyncRow } from './store.js';
import { GOOGLE_WORKSPACE, type GoogleState, type Selection, type SyncCounts, type SyncRecord } from './types.js';

/** How long a consent link works. */
const OAUTH_STATE_TTL_MS = 15 * 60_000;
export const DEFAULT_INTERVAL_MINUTES = 15;

/** Where the browser returns after consent: a path of this origin only, never another site. */
function safeReturnTo(value: string | undefined): string {
  if (value === undefined) return '/dashboard';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) throw validationFailed('returnTo must be a path on this server, starting with /', 'returnTo');
  return value;
}

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

export function toSyncRecord(row: SyncRow): SyncRecord {
  return {
    id: row.id,
    trigger: row.trigger as SyncRecord['trigger'],
    status: row.status as SyncRecord['status'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: JSON.parse(row.counts) as SyncCounts,
    error: row.error,
  };
}

/** What the OAuth callback did, for the page the browser returns to. */
export interface ConsentOutcome {
  returnTo: string;
  connected: boolean;
  reason?: string;
}

export class GoogleWorkspaceService {
  private readonly store: GoogleWorkspaceStore;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly connections: ConnectionService,
    private readonly setup: GoogleSetup,
    private readonly keys: Keyring,
    private readonly requestSyncNow: () => void = () => {},
  ) {
    this.store = new GoogleWorkspaceStore(db);
  }

  /** The connection's row, or 404 (another tenant's, a SCIM connection, none). */
  private async row(connectionId: string, tenantId?: string): Promise<GoogleConnectionRow> {
    const row = await this.store.find(connectionId, tenantId);
    if (!row) throw notFound(`Google Workspace connection "${connectionId}" not found`);
    return row;
  }

  private async toState(row: GoogleConnectionRow): Promise<GoogleState> {
    const [last] = await this.store.syncs({ tenantId: row.tenant_id, connectionId: row.connection_id }, 1);
    return {
      status: row.status as GoogleState['status'],
      reason: row.reason,
      authMethod: row.auth_method as GoogleState['authMethod'],
      adminEmail: row.admin_email,
      serviceAccountEmail: row.service_account_email,
      oauthAvailable: this.setup.oauth !== undefined,
      selection: JSON.parse(row.selection) as Selection,
      intervalMinutes: row.interval_minutes,
      syncing: row.lease_until !== null && row.lease_until > new Date().toISOString(),
      nextSyncAt: row.status === 'active' ? (row.sync_requested_at ?? row.next_sync_at) : null,
      lastSync: last ? toSyncRecord(last) : null,
    };
  }

  /** Creates a Google Workspace connection waiting for authorization, audited as any connection. */
  async create(actor: Actor, tenantId: string, input: { connectionName: string; syncToUserManagement: boolean }, options: { selfService?: boolean } = {}) {
    const connection = await this.connections.createDirectory(
      actor,
      tenantId,
      { source: GOOGLE_WORKSPACE, ...input },
      (trx, created) =>
        GoogleWorkspaceStore.insert(trx, {
          connection_id: created.id,
          tenant_id: tenantId,
          status: 'needs_authorization',
          reason: null,
          auth_method: null,
          credentials: null,
          admin_email: null,
          service_account_email: null,
          selection: JSON.stringify({ mode: 'domain', groups: [] } satisfies Selection),
          interval_minutes: DEFAULT_INTERVAL_MINUTES,
          next_sync_at: null,
          sync_requested_at: null,
          sync_trigger: null,
          lease_holder: null,
          lease_until: null,
          oauth_state_hash: null,
          oauth_state_expires_at: null,
          oauth_return_to: null,
          oauth_actor: null,
          created_at: created.createdAt,
          updated_at: created.createdAt,
        }),
      options,
    );
    return { ...connection, googleWorkspace: await this.state(connection.id, tenantId) };
  }

  async state(connectionId: string, tenantId?: string): Promise<GoogleState> {
    return this.toState(await this.row(connectionId, tenantId));
  }

  /** The Google state of each of these connections that is a Google Workspace one, for the overview. */
  async summaries(connections: readonly Pick<Connection, 'id' | 'type'>[]): Promise<Map<string, { status: GoogleState['status']; reason: string | null; lastSync: SyncRecord | null }>> {
    const ids = connections.filter((c) => c.type === GOOGLE_WORKSPACE).map((c) => c.id);
    const [rows, last] = await Promise.all([this.store.rows(ids), this.store.lastSyncs(ids)]);
    return new Map(rows.map((row) => [row.connection_id, { status: row.status as GoogleState['status'], reason: row.reason, lastSync: last.has(row.connection_id) ? toSyncRecord(last.get(row.connection_id)!) : null }]));
  }

  /** Writes `changes` and the audit entry of `change` in one transaction. */
  private async change(row: GoogleConnectionRow, actor: Actor, change: string, data: Record<string, unknown>, changes: Partial<GoogleConnectionRow>): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const updated = await new GoogleWorkspaceStore(trx).update(row.connection_id, row.tenant_id, { ...changes, updated_at: now });
      if (!updated) throw notFound(`Google Workspace connection "${row.connection_id}" not found`);
      await appendWithChange(
        trx,
        { actor, change: { action: 'connection.updated', tenantId: row.tenant_id, target: { type: 'connection', id: row.connection_id }, data: { change, ...data } } },
        now,
      );
    });
  }

  /** Sets what the connection syncs and how often; a changed selection syncs at once. */
  async configure(actor: Actor, connectionId: string, input: { selection?: Selection; intervalMinutes?: number }, tenantId?: string): Promise<GoogleState> {
    const row = await this.row(connectionId, tenantId);
    const changes: Partial<GoogleConnectionRow> = {};
    if (input.selection) {
      const groups = [...new Set(input.selection.groups.map((g) => g.trim().toLowerCase()).filter((g) => g !== ''))];
      if (input.selection.mode === 'groups' && groups.length === 0) throw validationFailed('Choose at least one group, or sync the whole domain', 'selection.groups');
      changes.selection = JSON.stringify({ mode: input.selection.mode, groups: input.selection.mode === 'groups' ? groups : [] } satisfies Selection);
      if (row.status === 'active' && changes.selection !== row.selection) Object.assign(changes, { sync_requested_at: new Date().toISOString(), sync_trigger: 'manual' });
    }
    if (input.intervalMinutes !== undefined) {
      changes.interval_minutes = input.intervalMinutes;
      if (row.next_sync_at !== null) changes.next_sync_at = new Date(Date.now() + input.intervalMinutes * 60_000).toISOString();
    }
    await this.change(row, actor, 'google_workspace.updated', { selection: input.selection, intervalMinutes: input.intervalMinutes }, changes);
    if (changes.sync_requested_at) this.requestSyncNow();
    return this.state(connectionId, tenantId);
  }

  /** The Google consent page for a super-admin, and the state that brings the answer back to this connection. */
  async startOAuth(actor: Actor, connectionId: string, returnTo: string | undefined, tenantId?: string): Promise<{ url: string }> {
    const row = await this.row(connectionId, tenantId);
    if (!this.setup.oauth) throw conflict('Google OAuth is not configured on this Rollcall (GOOGLE_OAUTH_CLIENT_ID, GOOGLE_OAUTH_CLIENT_SECRET): use a service account');
    const state = randomBytes(32).toString('base64url');
    await this.change(row, actor, 'google_workspace.authorization_started', { method: 'oauth' }, {
      oauth_state_hash: hashState(state),
      oauth_state_expires_at: new Date(Date.now() + OAUTH_STATE_TTL_MS).toISOString(),
      oauth_return_to: safeReturnTo(returnTo),
      oauth_actor: JSON.stringify(actor),
    });
    // offline + consent: Google returns a refresh token even to an admin who consented before.
    const url = oauthClient(this.setup).generateAuthUrl({ access_type: 'offline', prompt: 'consent', scope: [...DIRECTORY_SCOPES], state, include_granted_scopes: false });
    return { url };
  }

  /** Google's redirect after consent: exchanges the code, checks the grant can read the directory, stores it. */
  async completeOAuth(query: { code?: string; state?: string; error?: string }): Promise<ConsentOutcome | undefined> {
    if (!query.state) return undefined;
    const row = await this.store.takeOAuthState(hashState(query.state), new Date().toISOString());
    if (!row) return undefined;
    const returnTo = row.oauth_return_to ?? '/dashboard';
    const actor = JSON.parse(row.oauth_actor!) as Actor;
    if (query.error || !query.code) return { returnTo, connected: false, reason: query.error === 'access_denied' ? 'The admin did not grant access' : `Google answered ${query.error ?? 'without a code'}` };
    let credentials: GoogleCredentials;
    try {
      const { tokens } = await oauthClient(this.setup).getToken(query.code);
      if (!tokens.refresh_token) return { returnTo, connected: false, reason: 'Google returned no refresh token; remove Rollcall from the account’s third-party access and authorize again' };
      credentials = { method: 'oauth', refreshToken: tokens.refresh_token };
      await this.check(credentials, 'The admin who consented');
    } catch (error) {
      return { returnTo, connected: false, reason: error instanceof ApiError ? error.message : failureMessage(error) };
    }
    await this.authorize(row, actor, credentials, { auth_method: 'oauth', admin_email: null, service_account_email: null });
    return { returnTo, connected: true };
  }

  /** Authorizes the connection with a service account acting as `adminEmail`, once Google confirmed it can read the directory. */
  async setServiceAccount(actor: Actor, connectionId: string, input: { key: unknown; adminEmail: string }, tenantId?: string): Promise<GoogleState> {
    const row = await this.row(connectionId, tenantId);
    let key;
    try {
      key = parseServiceAccountKey(input.key);
    } catch (error) {
      throw validationFailed((error as Error).message, 'key');
    }
    const credentials: GoogleCredentials = { method: 'service_account', key, adminEmail: input.adminEmail.trim() };
    await this.check(credentials, `The admin ${credentials.adminEmail}`);
    await this.authorize(row, actor, credentials, { auth_method: 'service_account', admin_email: credentials.adminEmail, service_account_email: key.client_email });
    return this.state(connectionId, tenantId);
  }

  /** Reads one user with the grant: a 400 naming Google's reason when it cannot read the directory. */
  private async check(credentials: GoogleCredentials, who: string): Promise<void> {
    try {
      await new DirectoryReader(directoryApi(this.setup, credentials), { attempts: 3, baseMs: 500, maxMs: 2000 }).probe();
    } catch (error) {
      throw validationFailed(reauthorizationReason(error, who) ?? failureMessage(error), 'key');
    }
  }

  private async authorize(row: GoogleConnectionRow, actor: Actor, credentials: GoogleCredentials, who: Pick<GoogleConnectionRow, 'auth_method' | 'admin_email' | 'service_account_email'>): Promise<void> {
    const now = new Date().toISOString();
    await this.change(row, actor, 'google_workspace.authorized', { method: credentials.method, adminEmail: who.admin_email, serviceAccountEmail: who.service_account_email }, {
      ...who,
      status: 'active',
      reason: null,
      credentials: sealCredentials(this.keys, row.connection_id, credentials),
      next_sync_at: now,
      sync_requested_at: now,
      sync_trigger: 'authorization',
    });
    this.requestSyncNow();
  }

  /** "Sync now": the next pass of any process syncs it. */
  async requestSync(connectionId: string, tenantId?: string): Promise<void> {
    const row = await this.row(connectionId, tenantId);
    if (row.status !== 'active') throw conflict(row.status === 'needs_authorization' ? 'Authorize the connection with Google first' : `The connection needs to be authorized again: ${row.reason ?? ''}`.trim());
    const now = new Date().toISOString();
    await this.store.update(row.connection_id, row.tenant_id, { sync_requested_at: now, sync_trigger: 'manual', updated_at: now });
    this.requestSyncNow();
  }

  async syncs(connectionId: string, tenantId: string | undefined, limit: number, cursor?: string): Promise<{ items: SyncRecord[]; nextCursor: string | null }> {
    const row = await this.row(connectionId, tenantId);
    let before: { startedAt: string; id: string } | undefined;
    if (cursor) {
      const [startedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
      if (!startedAt || !id) throw validationFailed('cursor is not one this API returned', 'cursor');
      before = { startedAt, id };
    }
    const rows = await this.store.syncs({ tenantId: row.tenant_id, connectionId: row.connection_id }, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toSyncRecord), nextCursor: rows.length > limit && last ? Buffer.from(`${last.started_at}|${last.id}`).toString('base64url') : null };
  }

  /** The domain's groups, read from Google now, to choose from. */
  async groups(connectionId: string, tenantId?: string): Promise<{ id: string; email: string; name: string; directMembersCount: number }[]> {
    const row = await this.row(connectionId, tenantId);
    const credentials = row.status === 'active' ? openCredentials(this.keys, row) : undefined;
    if (!credentials) throw conflict('Authorize the connection with Google first');
    try {
      const groups = await new DirectoryReader(directoryApi(this.setup, credentials), { attempts: 3, baseMs: 500, maxMs: 4000 }).groups();
      return groups.map((g) => ({ id: g.id ?? '', email: g.email ?? '', name: g.name ?? g.email ?? '', directMembersCount: Number(g.directMembersCount ?? 0) }));
    } catch (error) {
      throw conflict(reauthorizationReason(error, 'The admin') ?? failureMessage(error));
    }
  }
}
