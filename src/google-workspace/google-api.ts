/**
 * Google's own Node clients, set up for one connection: `google-auth-library` for the grant (a
 * super-admin's OAuth refresh token, or a service account acting as an admin through domain-wide
 * delegation) and `@googleapis/admin` for the Directory API. Only read-only directory scopes are asked for.
 */
import { admin, type admin_directory_v1 } from '@googleapis/admin';
import { JWT, OAuth2Client } from 'google-auth-library';

export const DIRECTORY_SCOPES = ['https://www.googleapis.com/auth/admin.directory.user.readonly', 'https://www.googleapis.com/auth/admin.directory.group.readonly'] as const;

/** Google's token URL as google-auth-library's service account client (gtoken) posts to it, always. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Where Google is: its public endpoints unless configured otherwise (a proxy, or the tests' stand-in). */
export interface GoogleEndpoints {
  /** The Directory API's root URL (`rootUrl` of the client). */
  apiUrl: string;
  tokenUrl: string;
  /** The OAuth consent page. */
  authUrl: string;
}

export const GOOGLE_ENDPOINTS: GoogleEndpoints = {
  apiUrl: 'https://admin.googleapis.com/',
  tokenUrl: GOOGLE_TOKEN_URL,
  authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
};

/** The vendor's Google OAuth client (GOOGLE_OAUTH_CLIENT_ID / GOOGLE_OAUTH_CLIENT_SECRET). */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

/** The fields of a service account key Rollcall uses. */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

/** A connection's grant, as sealed in its row. */
export type GoogleCredentials = { method: 'oauth'; refreshToken: string } | { method: 'service_account'; key: ServiceAccountKey; adminEmail: string };

/** Everything needed to reach Google for any connection. */
export interface GoogleSetup {
  endpoints: GoogleEndpoints;
  oauth?: OAuthClientConfig;
  /** OAuth's redirect URI: `{PUBLIC_URL}/api/v1/google-workspace/oauth/callback`. */
  redirectUri: string;
}

/** An OAuth client for the consent and the code exchange. */
export function oauthClient(setup: GoogleSetup): OAuth2Client {
  if (!setup.oauth) throw new Error('GOOGLE_OAUTH_CLIENT_ID and GOOGLE_OAUTH_CLIENT_SECRET are not set');
  return new OAuth2Client({
    clientId: setup.oauth.clientId,
    clientSecret: setup.oauth.clientSecret,
    redirectUri: setup.redirectUri,
    endpoints: { oauth2TokenUrl: setup.endpoints.tokenUrl, oauth2AuthBaseUrl: setup.endpoints.authUrl },
  });
}

/**
 * A service account client acting as `adminEmail`. Its token request goes to the configured token URL:
 * gtoken posts to Google's fixed URL, so the client's own transporter rewrites that one URL. The key's
 * `token_uri` is deliberately not followed: a pasted key must not make Rollcall post a signed
 * assertion to an address of the key's choosing.
 */
export function serviceAccountClient(setup: GoogleSetup, key: ServiceAccountKey, adminEmail: string): JWT {
  const client = new JWT({ email: key.client_email, key: key.private_key, keyId: key.private_key_id, scopes: [...DIRECTORY_SCOPES], subject: adminEmail });
  if (setup.endpoints.tokenUrl !== GOOGLE_TOKEN_URL) {
    client.transporter.interceptors.request.add({
      resolved: async (options) => {
        if (String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(setup.endpoints.tokenUrl);
        return options;
      },
    });
  }
  return client;
}

/** The Directory API as the grant allows. */
export function directoryApi(setup: GoogleSetup, credentials: GoogleCredentials): admin_directory_v1.Admin {
  let auth: OAuth2Client | JWT;
  if (credentials.method === 'oauth') {
    auth = oauthClient(setup);
    auth.setCredentials({ refresh_token: credentials.refreshToken });
  } else {
    auth = serviceAccountClient(setup, credentials.key, credentials.adminEmail);
  }
  return admin({ version: 'directory_v1', auth, rootUrl: setup.endpoints.apiUrl });
}

/** Reads a pasted service account key; throws with a message naming what is wrong. */
export function parseServiceAccountKey(input: unknown): ServiceAccountKey {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new Error('The service account key is not JSON: paste the whole key file Google downloaded');
    }
  }
  if (value === null || typeof value !== 'object') throw new Error('The service account key must be the JSON key file of a service account');
  const key = value as Record<string, unknown>;
  if (key.type !== 'service_account') throw new Error('The key file is not a service account key ("type" is not "service_account")');
  if (typeof key.client_email !== 'string' || !key.client_email.includes('@')) throw new Error('The key file has no client_email');
  if (typeof key.private_key !== 'string' || !key.private_key.includes('PRIVATE KEY')) throw new Error('The key file has no private_key');
  return {
    client_email: key.client_email,
    private_key: key.private_key,
    ...(typeof key.private_key_id === 'string' ? { private_key_id: key.private_key_id } : {}),
  };
}
