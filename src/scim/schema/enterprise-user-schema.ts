/** The Enterprise User extension, as RFC 7643 §4.3 and §8.7.1 define it. */
import { attribute as a, complexAttribute as complex, deepFreeze } from './attribute-builders.js';
import type { SchemaDef } from './types.js';
import { ENTERPRISE_USER_SCHEMA } from './urns.js';

/** `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User` (RFC 7643 §4.3). */
export const enterpriseUserSchema: SchemaDef = deepFreeze({
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    a('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization.'),
    a('costCenter', 'Identifies the name of a cost center.'),
    a('organization', 'Identifies the name of an organization.'),
    a('division', 'Identifies the name of a division.'),
    a('department', 'Identifies the name of a department.'),
    complex(
      'manager',
      "The User's manager.  A complex type that optionally allows service providers to represent organizational hierarchy by referencing the 'id' attribute of another User.",
      [
        // The description says REQUIRED but the §8.7.1 listing says "required": false. We follow
        // the listing: it is what /Schemas serves, and `manager` as a whole is optional anyway.
        a('value', "The id of the SCIM resource representing the User's manager.  REQUIRED."),
        a('$ref', "The URI of the SCIM resource representing the User's manager.  REQUIRED.", {
          type: 'reference',
          referenceTypes: ['User'],
        }),
        a('displayName', "The displayName of the User's manager.  OPTIONAL and READ-ONLY.", { mutability: 'readOnly' }),
      ],
    ),
  ],
});
