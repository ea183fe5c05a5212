/**
 * A connection's Google grant at rest: the refresh token, or the service account key and the admin it
 * acts as, sealed with the environment's encryption key (src/security/encryption.ts) in
 * `google_workspace_connections.credentials`. Never logged, never returned by the API.
 */
import { googleCredentialsAt } from '../db/stored-secrets.js';
import type { Keyring } from '../security/encryption.js';
import type { GoogleCredentials } from './google-api.js';
import type { GoogleConnectionRow } from './store.js';

export function sealCredentials(keys: Keyring, connectionId: string, credentials: GoogleCredentials): string {
  return keys.seal(JSON.stringify(credentials), googleCredentialsAt(connectionId));
}

/** The connection's grant, or undefined before it is authorized. Throws SecretUnreadable when the keys cannot open it. */
export function openCredentials(keys: Keyring, row: Pick<GoogleConnectionRow, 'connection_id' | 'credentials'>): GoogleCredentials | undefined {
  if (row.credentials === null) return undefined;
  return JSON.parse(keys.open(row.credentials, googleCredentialsAt(row.connection_id))) as GoogleCredentials;
}
