/**
 * The predefined attributes and their default source per identity provider. The defaults are the
 * SCIM paths each provider's SCIM client writes by default: Okta's SCIM 2.0 app template, Microsoft
 * Entra ID's default attribute mappings for a non-gallery SCIM app, and the enterprise user extension
 * (RFC 7643 §4.3) that OneLogin, JumpCloud, Rippling and PingOne send for the same fields.
 */
import type { Source } from '../connections/sources.js';
import { ENTERPRISE_USER_SCHEMA } from '../scim/schema/urns.js';
import type { PredefinedAttribute } from './types.js';

const ENTERPRISE = ENTERPRISE_USER_SCHEMA;

/** A predefined attribute with its default source path per provider (`other` is the fallback). */
export interface PredefinedDefinition extends PredefinedAttribute {
  defaults: Partial<Record<Source, string>> & { other: string };
}

export const PREDEFINED_ATTRIBUTES: readonly PredefinedDefinition[] = [
  { key: 'jobTitle', type: 'string', description: 'Job title', defaults: { other: 'title' } },
  { key: 'department', type: 'string', description: 'Department', defaults: { other: `${ENTERPRISE}:department` } },
  { key: 'division', type: 'string', description: 'Division', defaults: { other: `${ENTERPRISE}:division` } },
  { key: 'costCenter', type: 'string', description: 'Cost centre', defaults: { other: `${ENTERPRISE}:costCenter` } },
  { key: 'organization', type: 'string', description: 'Organisation', defaults: { other: `${ENTERPRISE}:organization` } },
  { key: 'employeeNumber', type: 'string', description: 'Employee number', defaults: { other: `${ENTERPRISE}:employeeNumber` } },
  // SCIM's userType ("Employee", "Contractor", …): Okta's userType, Entra's employeeType mapped by the admin.
  { key: 'employeeType', type: 'string', description: 'Employee type (employee, contractor, …)', defaults: { other: 'userType' } },
  {
    key: 'manager',
    type: 'user',
    description: 'Manager, resolved to the provisioned user when the provider sends its id',
    defaults: { other: `${ENTERPRISE}:manager.value` },
  },
  {
    key: 'phoneNumber',
    type: 'string',
    description: 'Work phone number',
    // Okta sends its primaryPhone as the primary phone number; Entra sends telephoneNumber as type "work".
    defaults: { okta: 'phoneNumbers[primary eq true].value', other: 'phoneNumbers[type eq "work"].value' },
  },
  { key: 'mobilePhone', type: 'string', description: 'Mobile phone number', defaults: { other: 'phoneNumbers[type eq "mobile"].value' } },
  // Entra sends the user's preferredLanguage, and no locale, by default.
  { key: 'locale', type: 'string', description: 'Locale or preferred language (e.g. en-US)', defaults: { 'azure-ad': 'preferredLanguage', other: 'locale' } },
  { key: 'timezone', type: 'string', description: 'Time zone (IANA name, e.g. Europe/Berlin)', defaults: { other: 'timezone' } },
  { key: 'workAddress', type: 'address', description: 'Work address', defaults: { other: 'addresses[type eq "work"]' } },
];

const byKey = new Map(PREDEFINED_ATTRIBUTES.map((a) => [a.key, a]));

/** The predefined attribute named `key`, or undefined. */
export function predefinedAttribute(key: string): PredefinedDefinition | undefined {
  return byKey.get(key);
}

/** The default source path of a predefined attribute for a connection's provider. */
export function defaultSource(attribute: PredefinedDefinition, source: Source): string {
  return attribute.defaults[source] ?? attribute.defaults.other;
}
