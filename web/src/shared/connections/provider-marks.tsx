/**
 * Each provider's mark: a simple geometric shape in the provider's colours, drawn here (no artwork is
 * shipped, and no trademark is copied): a ring for Okta, a faceted pyramid for Microsoft Entra ID, a
 * "1" on a dark disc for OneLogin, a cloud for JumpCloud, ripples for Rippling, a sonar ping for
 * PingOne, a four-coloured ring for Google Workspace, and braces for any SCIM 2.0 client. Drawn on a 32 × 32 grid, on a white tile.
 */
import type { ReactNode } from 'react';
import type { ProviderId } from './providers.js';

export const MARKS: Record<ProviderId, ReactNode> = {
  okta: <circle cx="16" cy="16" r="8.5" fill="none" stroke="#00297a" strokeWidth="5" />,
  'azure-ad': (
    <>
      <path d="M16 4 27 17 16 28 5 17Z" fill="#0078d4" />
      <path d="M16 4v17L5 17Z" fill="#50a0e8" />
      <path d="M5 17 16 21 27 17 16 28Z" fill="#1c4f9c" />
    </>
  ),
  onelogin: (
    <>
      <circle cx="16" cy="16" r="12" fill="#1c1f2a" />
      <path d="M15 10.5h3v11h-3Z M11.8 12.6 15 10.5v2.8l-3.2 1.6Z" fill="#fff" />
    </>
  ),
  jumpcloud: (
    <>
      <path d="M9.5 23h13.5a5 5 0 0 0 .6-9.96A7.5 7.5 0 0 0 9.3 14.6 4.2 4.2 0 0 0 9.5 23Z" fill="#14735f" />
      <circle cx="16.5" cy="13.5" r="1.8" fill="#fff" />
      <path d="M13 19.5q3.5-4 7 0" fill="none" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
    </>
  ),
  rippling: (
    <g fill="none" stroke="#6b2a4a" strokeWidth="3" strokeLinecap="round">
      <path d="M7 10q4.5-4 9 0t9 0" />
      <path d="M7 16q4.5-4 9 0t9 0" />
      <path d="M7 22q4.5-4 9 0t9 0" />
    </g>
  ),
  pingone: (
    <>
      <circle cx="16" cy="16" r="3.5" fill="#b3261e" />
      <circle cx="16" cy="16" r="8" fill="none" stroke="#b3261e" strokeWidth="2.5" />
      <circle cx="16" cy="16" r="11.8" fill="none" stroke="#b3261e" strokeWidth="2" opacity="0.45" />
    </>
  ),
  'google-workspace': (
    <g fill="none" strokeWidth="4.5">
      <path d="M24.5 16A8.5 8.5 0 0 0 22 10" stroke="#4285f4" />
      <path d="M22 10A8.5 8.5 0 0 0 10 10" stroke="#ea4335" />
      <path d="M10 10A8.5 8.5 0 0 0 10 22" stroke="#fbbc04" />
      <path d="M10 22A8.5 8.5 0 0 0 24.5 16" stroke="#34a853" />
    </g>
  ),
  other: (
    <g fill="none" stroke="#4b5263" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round">
      <path d="M13 7.5h-1.5a2 2 0 0 0-2 2v4a2.5 2.5 0 0 1-2.5 2.5 2.5 2.5 0 0 1 2.5 2.5v4a2 2 0 0 0 2 2H13" />
      <path d="M19 7.5h1.5a2 2 0 0 1 2 2v4a2.5 2.5 0 0 0 2.5 2.5 2.5 2.5 0 0 0-2.5 2.5v4a2 2 0 0 1-2 2H19" />
    </g>
  ),
};
