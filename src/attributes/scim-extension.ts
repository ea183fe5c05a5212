/**
 * The SCIM extension that advertises the vendor's custom attributes in /Schemas and /ResourceTypes
 * (RFC 7643 §3.3, §6, §7), under the URN the catalogue names, so that Okta's and Entra ID's attribute
 * editors offer them as targets. Values sent under it are stored as sent, like any extension.
 */
import { attribute } from '../scim/schema/attribute-builders.js';
import type { AttributeDef, SchemaDef } from '../scim/schema/types.js';
import type { Catalogue } from './catalogue.js';
import type { CustomAttribute } from './types.js';

function definition(custom: CustomAttribute): AttributeDef {
  const description = custom.description || custom.key;
  switch (custom.type) {
    case 'number':
      return attribute(custom.key, description, { type: 'decimal' });
    case 'boolean':
      return attribute(custom.key, description, { type: 'boolean' });
    // SCIM's dateTime needs a time; a date attribute takes "YYYY-MM-DD" as well, so it is a string.
    case 'date':
      return attribute(custom.key, `${description} (a date, YYYY-MM-DD, or an RFC 3339 date-time)`);
    case 'string[]':
      return attribute(custom.key, description, { multiValued: true });
    case 'string':
      return attribute(custom.key, description);
  }
}

/** The extension's schema; undefined while the catalogue has no custom attribute. */
export function customExtensionSchema(catalogue: Catalogue): SchemaDef | undefined {
  if (catalogue.custom.length === 0) return undefined;
  return { id: catalogue.customSchema, name: 'CustomUser', description: 'Attributes the application defines for its users', attributes: catalogue.custom.map(definition) };
}
