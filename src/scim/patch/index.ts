/** The SCIM PATCH engine (RFC 7644 §3.5.2): pure functions, no I/O. Import the folder through this file. */
export { DEFAULT_MAX_OPERATIONS, PATCH_OP_SCHEMA, applyPatch, parsePatchBody, type PatchOperation } from './apply-patch.js';
export type { MemberOp, MemberRef, OpName, PatchOptions, PatchResourceType, PatchResult, ScimResource } from './types.js';
