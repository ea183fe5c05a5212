/**
 * User tokens: short-lived JWTs that let one person of one tenant use the self-service portal.
 * Rollcall mints them for the vendor's backend (HS256, its own key), and accepts tokens the vendor
 * signs itself when configured (VENDOR_JWT_*).
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor.js';
import type { AuditService } from '../audit/service.js';
import type { UserTokenConfig } from '../config.js';
import { conflict, notFound, validationFailed } from '../http/api-errors.js';
import type { RoleService } from '../roles/service.js';
import type { SelfServiceCaller } from '../self-service/caller.js';
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import type { TenantStore } from '../tenants/store.js';
import { decodeJwt, signHs256, verifyJwt, type DecodedJwt, type JwtCheck, type VerificationKey } from './jwt.js';
import { JwksUnavailable, RemoteJwks } from './remote-jwks.js';
import type { SigningKeys } from './signing-key.js';

/** What the vendor's backend asks for. */
export interface MintRequest {
  tenantId: string;
  userId: string;
  email?: string;
  roles?: string[];
  permissions?: string[];
  /** The person's user in the tenant directory: its effective roles (default + mapped groups) join `roles`. */
  directoryUserId?: string;
  /** Seconds; default one hour, at most 24 hours and USER_TOKEN_MAX_LIFETIME_SECONDS. */
  expiresIn?: number;
}

/** A minted token and where to open the portal with it. */
export interface MintedToken {
  token: string;
  expiresIn: number;
  portalUrl: string;
}

export const DEFAULT_TTL_SECONDS = 3600;
export const MAX_TTL_SECONDS = 86_400;
/** Clock difference tolerated on the vendor's `exp` and `nbf` (their clocks are not ours), and on `iat`. */
const VENDOR_CLOCK_TOLERANCE_SECONDS = 30;
/**
 * Clock difference tolerated on the `iat` of Rollcall's own tokens: another instance may have minted
 * one with a clock a little ahead of this one's.
 */
const INSTANCE_CLOCK_TOLERANCE_SECONDS = 30;

/** A user token checked: the caller it stands for, or why it was refused (for the log, never the response). */
export type UserTokenCheck = { caller: SelfServiceCaller; refused?: undefined } | { caller?: undefined; refused: string };

const refused = (reason: string): UserTokenCheck => ({ refused: reason });

const tenantIdRegex = new RegExp(TENANT_ID_PATTERN);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
/** Directory user ids are SCIM ids Rollcall made (UUIDs); anything longer names nobody. */
export const DIRECTORY_USER_ID_MAX = 64;

/** Logic of the user-tokens domain. */
export class UserTokenService {
  /** `iss` of the tokens Rollcall mints; `aud` names the portal. */
  readonly issuer: string;
  readonly audience: string;
  /** The vendor's keys when they are fetched from VENDOR_JWT_JWKS_URL. */
  private readonly remoteKeys?: RemoteJwks;

  constructor(
    private readonly deps: { keys: SigningKeys; roles: RoleService; tenants: TenantStore; audit: AuditService; publicUrl: string; config: UserTokenConfig },
  ) {
    this.issuer = deps.publicUrl;
    this.audience = `${deps.publicUrl}/portal`;
    const jwksUrl = deps.config.vendor?.jwksUrl;
    if (jwksUrl) this.remoteKeys = new RemoteJwks(jwksUrl);
  }

  /** Where to report that the vendor's JWKS cannot be fetched (a warning, once per episode). */
  reportTo(warn: (message: string) => void): void {
    this.remoteKeys?.reportTo(warn);
  }

  /**
   * Mints a token for a person of a tenant. Its roles are `roles` plus, with `directoryUserId`, that
   * directory user's effective roles (the default role and the roles mapped to its groups); with none
   * of `roles`, `permissions` and `directoryUserId`, the default role (as a new user would get). Its
   * permissions are resolved now: `permissions` plus those of its roles.
   */
  async mint(actor: Actor, request: MintRequest): Promise<MintedToken> {
    const tenant = await this.deps.tenants.find(request.tenantId);
    if (!tenant) throw notFound(`Tenant "${request.tenantId}" not found`);
    const maxLifetime = this.deps.config.maxLifetimeSeconds;
    const expiresIn = request.expiresIn ?? Math.min(DEFAULT_TTL_SECONDS, maxLifetime);
    if (expiresIn > maxLifetime) throw validationFailed(`expiresIn must be at most ${maxLifetime} seconds (USER_TOKEN_MAX_LIFETIME_SECONDS)`, 'expiresIn');
    let roles = request.roles;
    if (request.directoryUserId !== undefined) {
      roles = [...new Set([...(roles ?? []), ...(await this.directoryUserRoles(request.tenantId, request.directoryUserId))])];
    } else if (roles === undefined && request.permissions === undefined) {
      const fallback = (await this.deps.roles.list()).find((r) => r.isDefault);
      roles = fallback ? [fallback.key] : [];
    }
    const resolved = await this.deps.roles.permissionsOf(roles ?? []);
    if (resolved.unknown.length > 0) throw validationFailed(`roles names roles that do not exist: ${resolved.unknown.join(', ')}`, 'roles');
    const permissions = [...new Set([...(request.permissions ?? []), ...resolved.permissions])];
    const now = Math.floor(Date.now() / 1000);
    const key = await this.deps.keys.get();
    const jti = randomUUID();
    const token = await signHs256(
      {
        iss: this.issuer,
        aud: this.audience,
        sub: request.userId,
        tenantId: request.tenantId,
        // Which tenant of that id: one deleted and created again is another, and this token is not its (see verify).
        tenantCreatedAt: tenant.created_at,
        ...(request.email ? { email: request.email } : {}),
        ...(request.directoryUserId !== undefined ? { directoryUserId: request.directoryUserId } : {}),
        roles: roles ?? [],
        permissions,
        iat: now,
        exp: now + expiresIn,
        jti,
      },
      key.verification.key,
      key.kid,
    );
    await this.deps.audit.record(actor, {
      action: 'user_token.created',
      tenantId: request.tenantId,
      target: { type: 'user', id: request.userId },
      data: { jti, roles: roles ?? [], permissions, expiresIn, ...(request.directoryUserId !== undefined ? { directoryUserId: request.directoryUserId } : {}) },
    });
    return { token, expiresIn, portalUrl: `${this.deps.publicUrl}/portal?token=${encodeURIComponent(token)}` };
  }

  /** The effective roles of the directory user a mint names: 400 when the tenant directory has no such user, 409 when it may hold none. */
  private async directoryUserRoles(tenantId: string, directoryUserId: string): Promise<string[]> {
    const found = await this.deps.roles.rolesOfDirectoryUser(tenantId, directoryUserId);
    if ('roles' in found) return found.roles;
    if (found.refused === 'not_found') {
      throw validationFailed(`directoryUserId names no user of tenant "${tenantId}" provisioned by a connection that syncs to user management`, 'directoryUserId');
    }
    throw conflict(`Directory user "${directoryUserId}" is deactivated, or its connection was deleted: it holds no roles`, 'directoryUserId');
  }

  /** The caller a user token stands for, or undefined when it is not a valid, live user token. */
  async verify(token: string): Promise<SelfServiceCaller | undefined> {
    return (await this.check(token)).caller;
  }

  /** As `verify`, with the reason of a refusal. */
  async check(token: string): Promise<UserTokenCheck> {
    const jwt = decodeJwt(token);
    if (!jwt) return refused('not a compact JWS of JSON objects');
    // Rollcall's issuer is what selects Rollcall's key; any other token is the vendor's.
    const issuer: SelfServiceCaller['issuer'] = jwt.payload.iss === this.issuer ? 'rollcall' : 'vendor';
    const verified = issuer === 'rollcall' ? await this.verifyOwn(jwt) : await this.verifyVendor(jwt);
    if (verified.payload === undefined) return refused(verified.problem);
    const { payload } = verified;
    const { sub, tenantId, email, permissions = [], roles = [], directoryUserId } = payload;
    if (typeof sub !== 'string' || sub === '' || sub.length > 256) return refused('sub is missing or not a string of 1-256 characters');
    if (typeof tenantId !== 'string' || !tenantIdRegex.test(tenantId)) return refused('tenantId is missing or not a valid tenant id');
    if (!isStringList(permissions) || !isStringList(roles)) return refused('permissions or roles is not an array of strings');
    if (directoryUserId !== undefined && (typeof directoryUserId !== 'string' || directoryUserId === '' || directoryUserId.length > DIRECTORY_USER_ID_MAX)) {
      return refused(`directoryUserId is not a string of 1-${DIRECTORY_USER_ID_MAX} characters`);
    }
    if (!(await this.forCurrentTenant(tenantId, payload, issuer))) return refused(`issued before tenant "${tenantId}" was created (a tenant of that id was deleted and created again)`);
    // Rollcall's tokens carry permissions resolved at minting; a vendor's may name roles, and a directory
    // user whose effective roles count as of now (none while it is deactivated or unknown).
    const granted = issuer === 'vendor' ? [...permissions, ...(await this.vendorRolePermissions(tenantId, roles, directoryUserId))] : permissions;
    return { caller: { userId: sub, tenantId, ...(typeof email === 'string' ? { email } : {}), permissions: new Set(granted), issuer } };
  }

  /** The permissions of a vendor token's `roles` and of its directory user's effective roles. */
  private async vendorRolePermissions(tenantId: string, roles: readonly string[], directoryUserId: string | undefined): Promise<string[]> {
    const fromDirectory = directoryUserId === undefined ? undefined : await this.deps.roles.rolesOfDirectoryUser(tenantId, directoryUserId);
    const keys = fromDirectory && 'roles' in fromDirectory ? [...roles, ...fromDirectory.roles] : roles;
    return keys.length > 0 ? (await this.deps.roles.permissionsOf(keys)).permissions : [];
  }

  /** A token Rollcall minted, checked against its key: `exp` exactly, the lifetime with room for another instance's clock on `iat`. */
  private async verifyOwn(jwt: DecodedJwt): Promise<JwtCheck> {
    const key = await this.deps.keys.get();
    const verified = await verifyJwt(jwt, [key.verification], {
      issuer: this.issuer,
      audience: this.audience,
      nowSeconds: Date.now() / 1000,
      toleranceSeconds: 0,
      iatToleranceSeconds: INSTANCE_CLOCK_TOLERANCE_SECONDS,
      maxLifetimeSeconds: this.deps.config.maxLifetimeSeconds,
    });
    return verified.problem !== undefined && verified.signature ? { ...verified, problem: `${verified.problem} with Rollcall's key` } : verified;
  }

  /** A token the vendor signed, checked against its keys (VENDOR_JWT_*), with the vendor's clock tolerance. */
  private async verifyVendor(jwt: DecodedJwt): Promise<JwtCheck> {
    const vendor = this.deps.config.vendor;
    if (!vendor) return { problem: 'not issued by Rollcall, and no vendor key is configured (VENDOR_JWT_*)', signature: true };
    let keys: readonly VerificationKey[] = vendor.keys;
    if (this.remoteKeys) {
      try {
        keys = await this.remoteKeys.keysFor(jwt.header);
      } catch (error) {
        if (error instanceof JwksUnavailable) return { problem: error.message, signature: true };
        throw error;
      }
    }
    const verified = await verifyJwt(jwt, keys, {
      issuer: vendor.issuer,
      audience: vendor.audience,
      nowSeconds: Date.now() / 1000,
      toleranceSeconds: VENDOR_CLOCK_TOLERANCE_SECONDS,
      maxLifetimeSeconds: this.deps.config.maxLifetimeSeconds,
    });
    return verified.problem !== undefined && verified.signature ? { ...verified, problem: `${verified.problem} with the vendor's keys` } : verified;
  }

  /**
   * Whether a token was issued for the tenant of this id that exists now, not for an earlier one that
   * was deleted (a new tenant of the same id is another customer's account, or a fresh start). Rollcall's
   * tokens name the tenant's creation time exactly (`tenantCreatedAt`); a vendor's cannot, so it must have
   * been issued (`iat`) after the tenant was created, within the vendor clock tolerance. While no tenant
   * of that id exists the token opens nothing (the routes answer 404 or an empty list), as before.
   */
  private async forCurrentTenant(tenantId: string, payload: Record<string, unknown>, issuer: SelfServiceCaller['issuer']): Promise<boolean> {
    const tenant = await this.deps.tenants.find(tenantId);
    if (!tenant) return true;
    // Tokens minted before Rollcall wrote the claim are judged by their iat, as a vendor's are.
    if (issuer === 'rollcall' && typeof payload.tenantCreatedAt === 'string') return payload.tenantCreatedAt === tenant.created_at;
    const createdSeconds = Math.floor(Date.parse(tenant.created_at) / 1000);
    return typeof payload.iat === 'number' && payload.iat + VENDOR_CLOCK_TOLERANCE_SECONDS >= createdSeconds;
  }

  /**
   * Whether a portal session opened at `openedAt` (ISO) may still act on `tenantId`: not when the tenant
   * of that id was created after it (deleted and created again since). Sessions carry no token to ask.
   */
  async sessionStillCurrent(tenantId: string, openedAt: string): Promise<boolean> {
    const tenant = await this.deps.tenants.find(tenantId);
    return !tenant || tenant.created_at <= openedAt;
  }
}
