/**
 * Compatibility switches of a SCIM connection: where RFC 7644 allows more than one answer and a
 * client expects the one Rollcall does not give by default. Strict behaviour is the default; a
 * connection's source preset may choose otherwise, and the vendor or the customer's admin may set
 * each switch (docs/scim.md lists them with the clients that need them).
 *
 * The switches are read where a request is parsed and answered (the SCIM routes and services);
 * they travel with the resolved token (ScimContext), so reading them costs a request nothing.
 */
import type { Source } from './sources.js';

/** The answer to a successful Group PATCH (RFC 7644 §3.5.2 allows both). */
export const GROUP_PATCH_RESPONSES = ['204', '200'] as const;
/** What a group write does with a member id that is no user or group of the connection. */
export const UNKNOWN_MEMBER_POLICIES = ['reject', 'ignore'] as const;
/** What `active` becomes when a PATCH removes it (RFC 7644 §3.5.2.2: the attribute is unassigned). */
export const REMOVED_ACTIVE_READINGS = ['inactive', 'active'] as const;

/** The largest `groupPatchMaxMembers` a connection may set. */
export const MAX_GROUP_PATCH_MEMBERS = 10_000;

/** Every switch, with its effective value. */
export interface Compatibility {
  /**
   * `204`: a Group PATCH answers 204 No Content (unless the request asks for attributes or a
   * representation). `200`: it answers 200 with the group.
   */
  groupPatchResponse: (typeof GROUP_PATCH_RESPONSES)[number];
  /** With `200`: a group with more members than this is answered without `members`. */
  groupPatchMaxMembers: number;
  /** Accept `userName eq jdoe@acme.com` (a bare value after an operator) in list and search filters. */
  unquotedFilterValues: boolean;
  /** `reject`: 400 invalidValue. `ignore`: the write goes ahead without those ids, which are logged. */
  unknownMembers: (typeof UNKNOWN_MEMBER_POLICIES)[number];
  /** `inactive`: a removed `active` deactivates the user (the safe reading). `active`: it activates. */
  removedActive: (typeof REMOVED_ACTIVE_READINGS)[number];
}

/** The switches as a request sets them: any of them. */
export type CompatibilityChange = Partial<Compatibility>;

/** The strict RFC behaviour: what every switch is unless a preset or the connection says otherwise. */
export const STRICT_COMPATIBILITY: Readonly<Compatibility> = Object.freeze({
  groupPatchResponse: '204',
  groupPatchMaxMembers: 1000,
  unquotedFilterValues: false,
  unknownMembers: 'reject',
  removedActive: 'inactive',
});

/**
 * What each source preset changes from strict. Okta and Entra ID send quoted filters, accept 204
 * and provision members before they push them. `other` is any SCIM client — scripts, SCIM test
 * suites, IdPs built on general SCIM libraries — which more often read the group back from a PATCH
 * answer and, like authentik's SCIM provider, may send bare filter values.
 */
export const PRESET_COMPATIBILITY: Readonly<Record<Source, CompatibilityChange>> = Object.freeze({
  okta: {},
  'azure-ad': {},
  onelogin: {},
  jumpcloud: {},
  rippling: {},
  pingone: {},
  other: { groupPatchResponse: '200', unquotedFilterValues: true },
});

/** The keys of the switches, in the order the API lists them. */
export const COMPATIBILITY_KEYS = Object.keys(STRICT_COMPATIBILITY) as (keyof Compatibility)[];

/** Keeps only known switches with valid values: what a stored row holds after an upgrade that dropped or changed one. */
export function validSwitches(value: unknown): CompatibilityChange {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const raw = value as Record<string, unknown>;
  const out: CompatibilityChange = {};
  if ((GROUP_PATCH_RESPONSES as readonly unknown[]).includes(raw.groupPatchResponse)) out.groupPatchResponse = raw.groupPatchResponse as Compatibility['groupPatchResponse'];
  if (Number.isInteger(raw.groupPatchMaxMembers) && (raw.groupPatchMaxMembers as number) >= 0 && (raw.groupPatchMaxMembers as number) <= MAX_GROUP_PATCH_MEMBERS) {
    out.groupPatchMaxMembers = raw.groupPatchMaxMembers as number;
  }
  if (typeof raw.unquotedFilterValues === 'boolean') out.unquotedFilterValues = raw.unquotedFilterValues;
  if ((UNKNOWN_MEMBER_POLICIES as readonly unknown[]).includes(raw.unknownMembers)) out.unknownMembers = raw.unknownMembers as Compatibility['unknownMembers'];
  if ((REMOVED_ACTIVE_READINGS as readonly unknown[]).includes(raw.removedActive)) out.removedActive = raw.removedActive as Compatibility['removedActive'];
  return out;
}

/** The switches stored for a connection (JSON, or null for none), read leniently. */
export function storedSwitches(settings: string | null | undefined): CompatibilityChange {
  if (!settings) return {};
  try {
    return validSwitches(JSON.parse(settings));
  } catch {
    return {};
  }
}

/** The preset's defaults for `source` (an unknown source: strict). */
export function presetDefaults(source: string): Compatibility {
  const preset = (PRESET_COMPATIBILITY as Record<string, CompatibilityChange | undefined>)[source] ?? {};
  return { ...STRICT_COMPATIBILITY, ...preset };
}

/** The effective switches of a connection: its own over its preset's over strict. */
export function effectiveCompatibility(source: string, settings: string | null | undefined): Compatibility {
  return { ...presetDefaults(source), ...storedSwitches(settings) };
}
