/** The identity providers a connection can name as its source (Frontegg's values). */
export const SOURCES = ['okta', 'azure-ad', 'onelogin', 'jumpcloud', 'rippling', 'pingone', 'other'] as const;
/** A connection's identity provider. */
export type Source = (typeof SOURCES)[number];
