/** Shapes of the directory API (src/directory/shape.ts and schemas.ts). */

export interface DirectoryUser {
  id: string;
  tenantId: string;
  connectionId: string;
  userName: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  active: boolean;
  detached: boolean;
  /** Direct groups (list and detail answers). */
  groups?: { id: string; displayName: string }[];
  /** Effective role keys: the default role plus the roles of the direct groups. */
  roles?: string[];
  createdAt: string;
  updatedAt: string;
  /** The SCIM resource as the identity provider sent it. */
  scim: Record<string, unknown>;
}

export interface DirectoryGroup {
  id: string;
  tenantId: string;
  connectionId: string;
  displayName: string;
  externalId: string | null;
  detached: boolean;
  /** Only on GET /api/v1/groups/:id. */
  memberCount?: number;
  createdAt: string;
  updatedAt: string;
  scim: Record<string, unknown>;
}

/** A member of a group: a user, or a nested group (`type: 'group'`). */
export type GroupMember = ({ type: 'user' } & DirectoryUser) | ({ type: 'group' } & DirectoryGroup);
