/** Who calls a self-service route: one person of one tenant, holding a user token. */

/** The verified content of a user token. */
export interface SelfServiceCaller {
  /** `sub` of the token: the vendor's id of the person. */
  userId: string;
  /** The only tenant the caller may act on. */
  tenantId: string;
  email?: string;
  /** Permission keys the token grants (its `permissions` claim, plus those of its `roles`). */
  permissions: ReadonlySet<string>;
  /** `rollcall` for tokens from POST /api/v1/user-tokens, `vendor` for tokens the vendor signed. */
  issuer: 'rollcall' | 'vendor';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The user-token caller of a self-service route; null for environment-token callers. */
    selfService: SelfServiceCaller | null;
  }
  interface FastifyContextConfig {
    /** The permission a user token needs on this route; routes without it refuse user tokens (401). */
    selfService?: string;
  }
}
