/** The services and routes of roles, builder settings, user tokens and the audit log, for buildApp. */
import type { FastifyPluginAsync } from 'fastify';
import { auditRoutes } from '../audit/routes.js';
import { AuditService } from '../audit/service.js';
import type { Config } from '../config.js';
import type { Db } from '../db/open.js';
import { GroupRoleService } from '../roles/group-roles.js';
import { roleRoutes } from '../roles/routes.js';
import { RoleService } from '../roles/service.js';
import { settingsRoutes } from '../settings/routes.js';
import { SettingsService } from '../settings/service.js';
import type { TenantStore } from '../tenants/store.js';
import { userTokenRoutes } from '../user-tokens/routes.js';
import { UserTokenService } from '../user-tokens/service.js';
import { SigningKeys } from '../user-tokens/signing-key.js';
import { SigningKeyStore } from '../user-tokens/store.js';

/** The services behind self-service and its management. */
export interface SelfServiceServices {
  roles: RoleService;
  groupRoles: GroupRoleService;
  settings: SettingsService;
  userTokens: UserTokenService;
  audit: AuditService;
}

export function buildSelfServiceServices(config: Config, db: Db, tenants: TenantStore): SelfServiceServices {
  const roles = new RoleService(db);
  const audit = new AuditService(db.kysely);
  const keys = new SigningKeys(new SigningKeyStore(db.kysely, config.encryption), config.userTokens.signingKey);
  return {
    roles,
    groupRoles: new GroupRoleService(db),
    settings: new SettingsService(db),
    audit,
    userTokens: new UserTokenService({ keys, roles, tenants, audit, publicUrl: config.publicUrl, config: config.userTokens }),
  };
}

/** The management routes of self-service (environment token only). */
export const selfServiceRoutes: FastifyPluginAsync<{ services: SelfServiceServices }> = async (app, { services }) => {
  await app.register(roleRoutes, { roles: services.roles, groupRoles: services.groupRoles });
  await app.register(settingsRoutes, { settings: services.settings });
  await app.register(userTokenRoutes, { userTokens: services.userTokens });
  await app.register(auditRoutes, { audit: services.audit });
};
