/** The SCIM error catalogue: every SCIM error body comes from here (RFC 7644 §3.12). */

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export const SCIM_TYPES = [
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
] as const;
/** RFC 7644 Table 9 `scimType` values. */
export type ScimType = (typeof SCIM_TYPES)[number];

/** An error that the SCIM plugin turns into an RFC 7644 §3.12 body with this status. */
export class ScimError extends Error {
  readonly status: number;
  readonly scimType?: ScimType;
  /** Extra response headers, e.g. Retry-After on 429. */
  readonly headers?: Record<string, string>;

  constructor(status: number, detail: string, scimType?: ScimType, headers?: Record<string, string>) {
    super(detail);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
    this.headers = headers;
  }

  /** The response body: `status` is a string, as RFC 7644 §3.12 shows. */
  toBody(): { schemas: string[]; status: string; detail: string; scimType?: ScimType } {
    const body: { schemas: string[]; status: string; detail: string; scimType?: ScimType } = {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      detail: this.message,
    };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }
}

export const invalidFilter = (detail: string) => new ScimError(400, detail, 'invalidFilter');
export const invalidSyntax = (detail: string) => new ScimError(400, detail, 'invalidSyntax');
export const invalidPath = (detail: string) => new ScimError(400, detail, 'invalidPath');
export const invalidValue = (detail: string) => new ScimError(400, detail, 'invalidValue');
export const noTarget = (detail: string) => new ScimError(400, detail, 'noTarget');
export const mutability = (detail: string) => new ScimError(400, detail, 'mutability');
export const tooMany = (detail: string) => new ScimError(400, detail, 'tooMany');
export const uniqueness = (detail: string) => new ScimError(409, detail, 'uniqueness');
export const badRequest = (detail: string) => new ScimError(400, detail);
export const unauthorized = (detail = 'Missing or invalid bearer token') => new ScimError(401, detail);
export const forbidden = (detail: string) => new ScimError(403, detail);
export const notFound = (detail: string) => new ScimError(404, detail);
export const preconditionFailed = (detail: string) => new ScimError(412, detail);
export const payloadTooLarge = (detail: string) => new ScimError(413, detail);
export const notImplemented = (detail: string) => new ScimError(501, detail);
