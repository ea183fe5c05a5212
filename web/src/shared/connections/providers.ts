/**
 * The directory providers a connection can name as its source (the API's `source` values), with what
 * the UI shows for each: a display name, and the labels its admin console uses. ProviderLogo draws
 * each one's mark (./provider-marks.tsx).
 */

export type ProviderId = 'okta' | 'azure-ad' | 'onelogin' | 'jumpcloud' | 'rippling' | 'pingone' | 'other';

export interface Provider {
  id: ProviderId;
  /** What people call it today (Azure AD is Microsoft Entra ID now). */
  name: string;
  /** What the IdP calls the provisioning URL and the token, for short hints. */
  urlLabel: string;
  tokenLabel: string;
}

export const PROVIDERS: readonly Provider[] = [
  { id: 'okta', name: 'Okta', urlLabel: 'SCIM connector base URL', tokenLabel: 'Bearer token (HTTP Header)' },
  { id: 'azure-ad', name: 'Microsoft Entra ID', urlLabel: 'Tenant URL', tokenLabel: 'Secret Token' },
  { id: 'onelogin', name: 'OneLogin', urlLabel: 'SCIM Base URL', tokenLabel: 'SCIM Bearer Token' },
  { id: 'jumpcloud', name: 'JumpCloud', urlLabel: 'Base URL', tokenLabel: 'Token Key' },
  { id: 'rippling', name: 'Rippling', urlLabel: 'SCIM Base URL', tokenLabel: 'Bearer Token' },
  { id: 'pingone', name: 'PingOne', urlLabel: 'SCIM Base URL', tokenLabel: 'OAuth Access Token' },
  { id: 'other', name: 'Custom SCIM 2.0', urlLabel: 'SCIM base URL', tokenLabel: 'Bearer token' },
];

const BY_ID = new Map(PROVIDERS.map((p) => [p.id as string, p]));

/** The provider of a source; an unknown source (a newer server) shows as the custom one under its own id. */
export function providerOf(source: string): Provider {
  return BY_ID.get(source) ?? { ...BY_ID.get('other')!, name: source || 'Unknown' };
}
