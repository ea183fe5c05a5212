/**
 * Where a connection's users come from (the API's `source` values), with what the UI shows for each: a
 * display name, and for the SCIM identity providers the labels their admin consoles use. Google
 * Workspace is no SCIM client: Rollcall reads its directory, so it has no URL or token to paste.
 * ProviderLogo draws each one's mark (./provider-marks.tsx).
 */

export type ScimProviderId = 'okta' | 'azure-ad' | 'onelogin' | 'jumpcloud' | 'rippling' | 'pingone' | 'other';
export type ProviderId = ScimProviderId | 'google-workspace';

export interface Provider {
  id: ProviderId;
  /** What people call it today (Azure AD is Microsoft Entra ID now). */
  name: string;
}

/** An identity provider that pushes users over SCIM. */
export interface ScimProvider extends Provider {
  id: ScimProviderId;
  /** What the IdP calls the provisioning URL and the token, for short hints. */
  urlLabel: string;
  tokenLabel: string;
}

export const GOOGLE_WORKSPACE_ID = 'google-workspace';

export const PROVIDERS: readonly ScimProvider[] = [
  { id: 'okta', name: 'Okta', urlLabel: 'SCIM connector base URL', tokenLabel: 'Bearer token (HTTP Header)' },
  { id: 'azure-ad', name: 'Microsoft Entra ID', urlLabel: 'Tenant URL', tokenLabel: 'Secret Token' },
  { id: 'onelogin', name: 'OneLogin', urlLabel: 'SCIM Base URL', tokenLabel: 'SCIM Bearer Token' },
  { id: 'jumpcloud', name: 'JumpCloud', urlLabel: 'Base URL', tokenLabel: 'Token Key' },
  { id: 'rippling', name: 'Rippling', urlLabel: 'SCIM Base URL', tokenLabel: 'Bearer Token' },
  { id: 'pingone', name: 'PingOne', urlLabel: 'SCIM Base URL', tokenLabel: 'OAuth Access Token' },
  { id: 'other', name: 'Custom SCIM 2.0', urlLabel: 'SCIM base URL', tokenLabel: 'Bearer token' },
];

export const GOOGLE_WORKSPACE: Provider = { id: GOOGLE_WORKSPACE_ID, name: 'Google Workspace' };

/** What a new connection may read from: the SCIM providers, with Google Workspace before the custom SCIM client. */
export const CONNECTION_CHOICES: readonly Provider[] = [...PROVIDERS.slice(0, -1), GOOGLE_WORKSPACE, PROVIDERS[PROVIDERS.length - 1]];

const SCIM_BY_ID = new Map(PROVIDERS.map((p) => [p.id as string, p]));

/** The SCIM provider of a source; an unknown source (a newer server) shows as the custom one under its own id. */
export function scimProviderOf(source: string): ScimProvider {
  return SCIM_BY_ID.get(source) ?? { ...SCIM_BY_ID.get('other')!, name: source || 'Unknown' };
}

/** The provider of any connection's source. */
export function providerOf(source: string): Provider {
  return source === GOOGLE_WORKSPACE_ID ? GOOGLE_WORKSPACE : scimProviderOf(source);
}
