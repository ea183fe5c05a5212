/**
 * The self-service portal's theme (brand colour, logo, product name): its checks, and how it is
 * shown in the audit log. The values end up in the portal's pages, so anything that could run
 * there (a `javascript:` or `http:` logo URL) is refused here, not escaped later.
 */
import { createHash } from 'node:crypto';
import { validationFailed } from '../http/api-errors.js';

/** The portal theme; null means "Rollcall's default". */
export interface PortalTheme {
  brandColor: string | null;
  logoUrl: string | null;
  productName: string | null;
}

/** A partial change: a named key with null clears that setting. */
export type PortalThemePatch = Partial<PortalTheme>;

/** The theme's settings, in the order they are shown. */
export const PORTAL_THEME_KEYS = ['brandColor', 'logoUrl', 'productName'] as const;

export const BRAND_COLOR_PATTERN = '^#[0-9a-fA-F]{6}$';
/** A logo inlined as a data URL travels with every portal session: 64 KB at most. */
export const MAX_LOGO_URL_LENGTH = 64 * 1024;
/** An https logo is a link; links longer than this are mistakes. */
export const MAX_HTTPS_LOGO_URL_LENGTH = 2048;
export const MAX_PRODUCT_NAME_LENGTH = 80;

// Raster and SVG images only; an SVG is safe as <img src> (scripts in it do not run there).
const DATA_LOGO = /^data:image\/(?:png|svg\+xml|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/;

const badLogo = (message: string) => validationFailed(`portal.logoUrl ${message}`, 'portal.logoUrl');

/** Throws a 400 unless `value` is an https URL or a base64 PNG, SVG or JPEG data URL within the limits. */
export function checkLogoUrl(value: string): void {
  if (value.length > MAX_LOGO_URL_LENGTH) throw badLogo(`must be at most ${MAX_LOGO_URL_LENGTH} characters`);
  if (/^data:/i.test(value)) {
    if (!DATA_LOGO.test(value)) throw badLogo('must be a data:image/png, image/svg+xml or image/jpeg URL with ;base64, content');
    return;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badLogo('must be an https: URL or a data:image/…;base64, URL');
  }
  if (url.protocol !== 'https:') throw badLogo('must be an https: URL or a data:image/…;base64, URL');
  if (url.username || url.password) throw badLogo('must not carry credentials');
  if (value.length > MAX_HTTPS_LOGO_URL_LENGTH) throw badLogo(`as an https URL must be at most ${MAX_HTTPS_LOGO_URL_LENGTH} characters`);
}

/** Checks a change (beyond what the JSON schema checks) and returns it normalised: product name trimmed. */
export function checkPortalPatch(patch: PortalThemePatch): PortalThemePatch {
  if (typeof patch.logoUrl === 'string') checkLogoUrl(patch.logoUrl);
  const productName = typeof patch.productName === 'string' ? patch.productName.trim() : patch.productName;
  if (productName === '') throw validationFailed('portal.productName must not be blank; send null to clear it', 'portal.productName');
  return productName === undefined ? patch : { ...patch, productName };
}

/** The theme as the audit log keeps it: a data-URL logo as its type, size and hash, not 64 KB twice per entry. */
export function auditedTheme(theme: PortalTheme): PortalTheme {
  const logo = theme.logoUrl;
  if (!logo?.startsWith('data:')) return theme;
  const digest = createHash('sha256').update(logo).digest('hex').slice(0, 16);
  return { ...theme, logoUrl: `${logo.slice(0, logo.indexOf(',') + 1)}… (${logo.length} characters, sha256 ${digest}…)` };
}
