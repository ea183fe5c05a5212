/**
 * User tokens: short-lived JWTs that let one person of one tenant use the self-service portal.
 * Rollcall mints them for the vendor's backend (HS256, its own key), and accepts tokens the vendor
 * signs itself when configured (VENDOR_JWT_*).
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor.js';
import type { AuditService } from '../audit/service.js';
import type { UserTokenConfig } from '../config.js';
import { notFound, validationFailed } from '../http/api-errors.js';
import type { RoleService } from '../roles/service.js';
import type { SelfServiceCaller } from '../self-service/caller.js';
import { TENANT_ID_PATTERN } from '../tenants/routes.js';
import type { TenantStore } from '../tenants/store.js';
import { claimProblem, decodeJwt, signHs256, verifySignature } from './jwt.js';
import type { SigningKeys } from './signing-key.js';

/** What the vendor's backend asks for. */
export interface MintRequest {
  tenantId: string;
  userId: string;
  email?: string;
  roles?: string[];
  permissions?: string[];
  /** Seconds; default one hour, at most 24 hours. */
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
/** Clock difference tolerated on the vendor's `exp` and `nbf` (their clocks are not ours). */
const VENDOR_CLOCK_TOLERANCE_SECONDS = 30;

const tenantIdRegex = new RegExp(TENANT_ID_PATTERN);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** Logic of the user-tokens domain. */
export class UserTokenService {
  /** `iss` of the tokens Rollcall mints; `aud` names the portal. */
  readonly issuer: string;
  readonly audience: string;

  constructor(
    private readonly deps: { keys: SigningKeys; roles: RoleService; tenants: TenantStore; audit: AuditService; publicUrl: string; config: UserTokenConfig },
  ) {
    this.issuer = deps.publicUrl;
    this.audience = `${deps.publicUrl}/portal`;
  }

  /**
   * Mints a token for a person of a tenant. Its permissions are resolved now: `permissions` plus
   * those of `roles`; with neither, those of the default role (as a new user would get).
   */
  async mint(actor: Actor, request: MintRequest): Promise<MintedToken> {
    if (!(await this.deps.tenants.find(request.tenantId))) throw notFound(`Tenant "${request.tenantId}" not found`);
    let roles = request.roles;
    if (roles === undefined && request.permissions === undefined) {
      const fallback = (await this.deps.roles.list()).find((r) => r.isDefault);
      roles = fallback ? [fallback.key] : [];
    }
    const resolved = await this.deps.roles.permissionsOf(roles ?? []);
    if (resolved.unknown.length > 0) throw validationFailed(`roles names roles that do not exist: ${resolved.unknown.join(', ')}`, 'roles');
    const permissions = [...new Set([...(request.permissions ?? []), ...resolved.permissions])];
    const expiresIn = request.expiresIn ?? DEFAULT_TTL_SECONDS;
    const now = Math.floor(Date.now() / 1000);
    const key = await this.deps.keys.get();
    const jti = randomUUID();
    const token = signHs256(
      {
        iss: this.issuer,
        aud: this.audience,
        sub: request.userId,
        tenantId: request.tenantId,
        ...(request.email ? { email: request.email } : {}),
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
      data: { jti, roles: roles ?? [], permissions, expiresIn },
    });
    return { token, expiresIn, portalUrl: `${this.deps.publicUrl}/portal?token=${encodeURIComponent(token)}` };
  }

  /** The caller a user token stands for, or undefined when it is not a valid, live user token. */
  async verify(token: string): Promise<SelfServiceCaller | undefined> {
    const jwt = decodeJwt(token);
    if (!jwt) return undefined;
    const nowSeconds = Date.now() / 1000;
    const { payload } = jwt;
    let issuer: SelfServiceCaller['issuer'];
    if (payload.iss === this.issuer) {
      const key = await this.deps.keys.get();
      if (!verifySignature(jwt, [key.verification])) return undefined;
      if (claimProblem(payload, { issuer: this.issuer, audience: this.audience, nowSeconds, toleranceSeconds: 0 })) return undefined;
      issuer = 'rollcall';
    } else {
      const vendor = this.deps.config.vendor;
      if (!vendor || !verifySignature(jwt, vendor.keys)) return undefined;
      if (claimProblem(payload, { issuer: vendor.issuer, audience: vendor.audience, nowSeconds, toleranceSeconds: VENDOR_CLOCK_TOLERANCE_SECONDS })) return undefined;
      issuer = 'vendor';
    }
    const { sub, tenantId, email, permissions = [], roles = [] } = payload;
    if (typeof sub !== 'string' || sub === '' || sub.length > 256) return undefined;
    if (typeof tenantId !== 'string' || !tenantIdRegex.test(tenantId)) return undefined;
    if (!isStringList(permissions) || !isStringList(roles)) return undefined;
    // Rollcall's tokens carry permissions resolved at minting; a vendor's may name roles instead.
    const granted = issuer === 'vendor' && roles.length > 0 ? [...permissions, ...(await this.deps.roles.permissionsOf(roles)).permissions] : permissions;
    return { userId: sub, tenantId, ...(typeof email === 'string' ? { email } : {}), permissions: new Set(granted), issuer };
  }
}
