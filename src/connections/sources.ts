import { GOOGLE_WORKSPACE } from '../google-workspace/types.js';

/** The identity providers a connection can name as its source (Frontegg's values). */
export const SOURCES = ['okta', 'azure-ad', 'onelogin', 'jumpcloud', 'rippling', 'pingone', 'other'] as const;
/** A connection's identity provider. */
export type Source = (typeof SOURCES)[number];

/** How a connection's users and groups arrive: pushed by an IdP over SCIM, or read from Google Workspace. */
export const CONNECTION_TYPES = ['scim', 'google-workspace'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

/** Every `source` a connection may have: an IdP of a SCIM connection, or `google-workspace`. */
export const CONNECTION_SOURCES = [...SOURCES, GOOGLE_WORKSPACE] as const;

/** A connection's type follows from its source. */
export function connectionType(source: string): ConnectionType {
  return source === GOOGLE_WORKSPACE ? GOOGLE_WORKSPACE : 'scim';
}
