/**
 * The core User schema, as RFC 7643 §8.7.1 lists it. Departures from that listing, each for a
 * cited reason: every attribute carries all RFC 7643 §7 fields (the listing omits some, e.g.
 * `caseExact` on booleans), `addresses` has `primary` (RFC 7643 §4.1.2 names it), and
 * `x509Certificates.value` is caseExact (RFC 7643 errata 6000: binary values are case-exact).
 */
import {
  attribute as a,
  complexAttribute as complex,
  deepFreeze,
  multiValuedSubAttributes as multi,
} from './attribute-builders.js';
import type { SchemaDef } from './types.js';
import { USER_SCHEMA } from './urns.js';

const multiValued = { multiValued: true } as const;
const PRIMARY_ONCE = "The primary attribute value 'true' MUST appear no more than once.";

const name = complex(
  'name',
  "The components of the user's real name. Providers MAY return just the full name as a single string in the formatted sub-attribute, or they MAY return just the individual component attributes using the other sub-attributes, or they MAY return both. If both variants are returned, they SHOULD be describing the same name, with the formatted name indicating how the component attributes should be combined.",
  [
    a('formatted', "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display (e.g., 'Ms. Barbara J Jensen, III')."),
    a('familyName', "The family name of the User, or last name in most Western languages (e.g., 'Jensen' given the full name 'Ms. Barbara J Jensen, III')."),
    a('givenName', "The given name of the User, or first name in most Western languages (e.g., 'Barbara' given the full name 'Ms. Barbara J Jensen, III')."),
    a('middleName', "The middle name(s) of the User (e.g., 'Jane' given the full name 'Ms. Barbara J Jensen, III')."),
    a('honorificPrefix', "The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.' given the full name 'Ms. Barbara J Jensen, III')."),
    a('honorificSuffix', "The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III' given the full name 'Ms. Barbara J Jensen, III')."),
  ],
);

const emails = complex(
  'emails',
  "Email addresses for the user.  The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'.  Canonical type values of 'work', 'home', and 'other'.",
  multi({
    value: "Email addresses for the user.  The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'.  Canonical type values of 'work', 'home', and 'other'.",
    type: "A label indicating the attribute's function, e.g., 'work' or 'home'.",
    canonicalTypes: ['work', 'home', 'other'],
    primary: `A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred mailing address or primary email address.  ${PRIMARY_ONCE}`,
  }),
  multiValued,
);

const phoneNumbers = complex(
  'phoneNumbers',
  "Phone numbers for the User.  The value SHOULD be canonicalized by the service provider according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'.  Canonical type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.",
  multi({
    value: 'Phone number of the User.',
    type: "A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.",
    canonicalTypes: ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
    primary: `A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred phone number or primary phone number.  ${PRIMARY_ONCE}`,
  }),
  multiValued,
);

const ims = complex(
  'ims',
  'Instant messaging addresses for the User.',
  multi({
    value: 'Instant messaging address for the User.',
    type: "A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.",
    canonicalTypes: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
    primary: `A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred messenger or primary messenger.  ${PRIMARY_ONCE}`,
  }),
  multiValued,
);

const photos = complex(
  'photos',
  'URLs of photos of the User.',
  multi({
    value: 'URL of a photo of the User.',
    valueOverrides: { type: 'reference', referenceTypes: ['external'] },
    type: "A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.",
    canonicalTypes: ['photo', 'thumbnail'],
    primary: `A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred photo or thumbnail.  ${PRIMARY_ONCE}`,
  }),
  multiValued,
);

const addresses = complex(
  'addresses',
  "A physical mailing address for this User.  Canonical type values of 'work', 'home', and 'other'.  This attribute is a complex type with the following sub-attributes.",
  [
    a('formatted', 'The full mailing address, formatted for display or use with a mailing label.  This attribute MAY contain newlines.'),
    a('streetAddress', 'The full street address component, which may include house number, street name, P.O. box, and multi-line extended street address information.  This attribute MAY contain newlines.'),
    a('locality', 'The city or locality component.'),
    a('region', 'The state or region component.'),
    a('postalCode', 'The zip code or postal code component.'),
    a('country', 'The country name component.'),
    a('type', "A label indicating the attribute's function, e.g., 'work' or 'home'.", {
      canonicalValues: ['work', 'home', 'other'],
    }),
    // Missing from the §8.7.1 listing, but RFC 7643 §4.1.2 gives addresses a "primary" and
    // Okta and Entra ID send `addresses[type eq "work"].primary`.
    a('primary', `A Boolean value indicating the 'primary' or preferred attribute value for this attribute, e.g., the preferred mailing address.  ${PRIMARY_ONCE}`, {
      type: 'boolean',
    }),
  ],
  multiValued,
);

// Membership is managed through /Groups (RFC 7643 §4.1.2), so every part of `groups` is readOnly.
const groups = complex(
  'groups',
  'A list of groups to which the user belongs, either through direct membership, through nested groups, or dynamically calculated.',
  [
    a('value', "The identifier of the User's group.", { mutability: 'readOnly' }),
    a('$ref', "The URI of the corresponding 'Group' resource to which the user belongs.", {
      type: 'reference',
      referenceTypes: ['User', 'Group'],
      mutability: 'readOnly',
    }),
    a('display', 'A human-readable name, primarily used for display purposes.  READ-ONLY.', { mutability: 'readOnly' }),
    a('type', "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.", {
      canonicalValues: ['direct', 'indirect'],
      mutability: 'readOnly',
    }),
  ],
  { ...multiValued, mutability: 'readOnly' },
);

const entitlements = complex(
  'entitlements',
  'A list of entitlements for the User that represent a thing the User has.',
  multi({
    value: 'The value of an entitlement.',
    type: "A label indicating the attribute's function.",
    primary: `A Boolean value indicating the 'primary' or preferred attribute value for this attribute.  ${PRIMARY_ONCE}`,
  }),
  multiValued,
);

const roles = complex(
  'roles',
  "A list of roles for the User that collectively represent who the User is, e.g., 'Student', 'Faculty'.",
  multi({
    value: 'The value of a role.',
    type: "A label indicating the attribute's function.",
    primary: `A Boolean value indicating the 'primary' or preferred attribute value for this attribute.  ${PRIMARY_ONCE}`,
  }),
  multiValued,
);

const x509Certificates = complex(
  'x509Certificates',
  'A list of certificates issued to the User.',
  multi({
    value: 'The value of an X.509 certificate.',
    valueOverrides: { type: 'binary', caseExact: true },
    type: "A label indicating the attribute's function.",
    primary: `A Boolean value indicating the 'primary' or preferred attribute value for this attribute.  ${PRIMARY_ONCE}`,
  }),
  multiValued,
);

/** `urn:ietf:params:scim:schemas:core:2.0:User` (RFC 7643 §4.1, §8.7.1). */
export const userSchema: SchemaDef = deepFreeze({
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    a('userName', "Unique identifier for the User, typically used by the user to directly authenticate to the service provider.  Each User MUST include a non-empty userName value.  This identifier MUST be unique across the service provider's entire set of Users.  REQUIRED.", {
      required: true,
      uniqueness: 'server',
    }),
    name,
    a('displayName', 'The name of the User, suitable for display to end-users.  The name SHOULD be the full name of the User being described, if known.'),
    a('nickName', "The casual way to address the user in real life, e.g., 'Bob' or 'Bobby' instead of 'Robert'.  This attribute SHOULD NOT be used to represent a User's username (e.g., 'bjensen' or 'mpepperidge')."),
    a('profileUrl', "A fully qualified URL pointing to a page representing the User's online profile.", {
      type: 'reference',
      referenceTypes: ['external'],
    }),
    a('title', 'The user\'s title, such as "Vice President."'),
    a('userType', "Used to identify the relationship between the organization and the user.  Typical values used might be 'Contractor', 'Employee', 'Intern', 'Temp', 'External', and 'Unknown', but any value may be used."),
    a('preferredLanguage', "Indicates the User's preferred written or spoken language.  Generally used for selecting a localized user interface; e.g., 'en_US' specifies the language English and country US."),
    a('locale', "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations."),
    a('timezone', "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'."),
    a('active', "A Boolean value indicating the User's administrative status.", { type: 'boolean' }),
    a('password', "The User's cleartext password.  This attribute is intended to be used as a means to specify an initial password when creating a new User or to reset an existing User's password.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    emails,
    phoneNumbers,
    ims,
    photos,
    addresses,
    groups,
    entitlements,
    roles,
    x509Certificates,
  ],
});
