/**
 * The directory providers a connection can name as its source (the API's `source` values), with what
 * the UI shows for each: a display name, a brand colour and initials for ProviderLogo. No artwork:
 * the logo is a coloured tile with letters, so no trademarked image is shipped.
 */

export type ProviderId = 'okta' | 'azure-ad' | 'onelogin' | 'jumpcloud' | 'rippling' | 'pingone' | 'other';

export interface Provider {
  id: ProviderId;
  /** What people call it today (Azure AD is Microsoft Entra ID now). */
  name: string;
  /** The tile's background, dark enough for white letters (WCAG AA for bold text). */
  color: string;
  /** One to three letters on the tile. */
  initials: string;
  /** What the IdP calls the provisioning URL and the token, for short hints. */
  urlLabel: string;
  tokenLabel: string;
}

export const PROVIDERS: readonly Provider[] = [
  { id: 'okta', name: 'Okta', color: '#00297a', initials: 'Ok', urlLabel: 'SCIM connector base URL', tokenLabel: 'Bearer token (HTTP Header)' },
  { id: 'azure-ad', name: 'Microsoft Entra ID', color: '#0a5fb4', initials: 'En', urlLabel: 'Tenant URL', tokenLabel: 'Secret Token' },
  { id: 'onelogin', name: 'OneLogin', color: '#1c1f2a', initials: 'OL', urlLabel: 'SCIM Base URL', tokenLabel: 'SCIM Bearer Token' },
  { id: 'jumpcloud', name: 'JumpCloud', color: '#14735f', initials: 'JC', urlLabel: 'Base URL', tokenLabel: 'Token Key' },
  { id: 'rippling', name: 'Rippling', color: '#6b2a4a', initials: 'Ri', urlLabel: 'SCIM Base URL', tokenLabel: 'Bearer Token' },
  { id: 'pingone', name: 'PingOne', color: '#b3261e', initials: 'P1', urlLabel: 'SCIM Base URL', tokenLabel: 'OAuth Access Token' },
  { id: 'other', name: 'Custom SCIM 2.0', color: '#4b5263', initials: '{ }', urlLabel: 'SCIM base URL', tokenLabel: 'Bearer token' },
];

const BY_ID = new Map(PROVIDERS.map((p) => [p.id as string, p]));

/** The provider of a source; an unknown source (a newer server) shows as the custom one under its own id. */
export function providerOf(source: string): Provider {
  return BY_ID.get(source) ?? { ...BY_ID.get('other')!, name: source || 'Unknown' };
}
