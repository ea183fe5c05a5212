/** Schema URNs this server knows (RFC 7643 §8.7). Kept apart from index.ts so schema files can import them. */

/** RFC 7643 §4.1 core User schema. */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** RFC 7643 §4.3 Enterprise User extension. */
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** RFC 7643 §4.2 core Group schema. */
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
