/** GET|PATCH /api/v1/settings (src/settings/routes.ts). */
import type { ApiBody } from '../../../shared/types.js';

/** The builder settings; null values in `portal` mean Rollcall's defaults. */
export type BuilderSettings = ApiBody<'/api/v1/settings', 'get'>;

/** The colour the portal uses when the vendor sets none (--brand in styles.css). */
export const DEFAULT_BRAND = '#4f46e5';
export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** A logo the portal would show: what the API accepts (https or an image data URL); anything else is not previewed. */
export const previewableLogo = (value: string) => /^https:\/\/\S+$/i.test(value) || /^data:image\/(?:png|svg\+xml|jpeg);base64,/i.test(value);
