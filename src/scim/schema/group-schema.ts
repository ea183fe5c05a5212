/**
 * The core Group schema (RFC 7643 §4.2, §8.7.1), with two deliberate departures:
 * - `displayName` is `required: true` as §4.2 says ("REQUIRED"); the §8.7.1 listing says false.
 * - `displayName` is `uniqueness: server`: Rollcall keeps one group per name per connection, so
 *   a second POST with the same name answers 409 uniqueness rather than creating a twin that
 *   the IdP's `displayName eq "…"` lookup could not tell apart.
 */
import { attribute as a, complexAttribute as complex, deepFreeze } from './attribute-builders.js';
import type { SchemaDef } from './types.js';
import { GROUP_SCHEMA } from './urns.js';

// RFC 7643 §8.7.1 makes value/$ref/type immutable: a membership is added or removed, never edited.
const immutable = { mutability: 'immutable' } as const;

/** `urn:ietf:params:scim:schemas:core:2.0:Group` (RFC 7643 §4.2). */
export const groupSchema: SchemaDef = deepFreeze({
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    a('displayName', 'A human-readable name for the Group.  REQUIRED.', { required: true, uniqueness: 'server' }),
    complex(
      'members',
      'A list of members of the Group.',
      [
        a('value', 'Identifier of the member of this Group.', immutable),
        a('$ref', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
          ...immutable,
          type: 'reference',
          referenceTypes: ['User', 'Group'],
        }),
        // Not in the §8.7.1 listing, but the §8.4 example and Okta/Entra ID send it; immutable like
        // its siblings so it is kept as sent when a member is added.
        a('display', 'A human-readable name, primarily used for display purposes.', immutable),
        a('type', "A label indicating the type of resource, e.g., 'User' or 'Group'.", {
          ...immutable,
          canonicalValues: ['User', 'Group'],
        }),
      ],
      { multiValued: true },
    ),
  ],
});
