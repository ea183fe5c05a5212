/** Applies a vendor's portal theme through the CSS variables of styles.css. */
import type { PortalTheme } from './types.js';

const HEX = /^#[0-9a-fA-F]{6}$/;

/** Darkens (amount < 0) or lightens a #rrggbb colour. */
function shade(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number) => {
    const c = (n >> shift) & 0xff;
    const v = amount < 0 ? c * (1 + amount) : c + (255 - c) * amount;
    return Math.round(Math.min(255, Math.max(0, v)));
  };
  return `#${[16, 8, 0].map((s) => channel(s).toString(16).padStart(2, '0')).join('')}`;
}

/** White or near-black text, whichever reads better on `hex` (WCAG relative luminance). */
function contrastText(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin((n >> 16) & 0xff) + 0.7152 * lin((n >> 8) & 0xff) + 0.0722 * lin(n & 0xff);
  return l > 0.4 ? '#111318' : '#ffffff';
}

/** Sets --brand and friends on `element` (default: the document root). Invalid colours are ignored. */
export function applyTheme(theme: Pick<PortalTheme, 'brandColor'> | undefined, element: HTMLElement = document.documentElement): void {
  const colour = theme?.brandColor;
  if (!colour || !HEX.test(colour)) return;
  element.style.setProperty('--brand', colour);
  element.style.setProperty('--brand-strong', shade(colour, -0.18));
  element.style.setProperty('--brand-soft', shade(colour, 0.9));
  element.style.setProperty('--brand-contrast', contrastText(colour));
}

/** The CSS variables of a theme, for a preview element's style attribute. */
export function themeVariables(theme: Pick<PortalTheme, 'brandColor'>): Record<string, string> {
  const colour = theme.brandColor;
  if (!colour || !HEX.test(colour)) return {};
  return { '--brand': colour, '--brand-strong': shade(colour, -0.18), '--brand-soft': shade(colour, 0.9), '--brand-contrast': contrastText(colour) };
}
