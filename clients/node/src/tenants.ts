/** `rollcall.tenants`: the vendor's customer accounts (the Frontegg-compatible tenants API). */
import type { ApiClient } from './api-client.js';
import type { Json, RequestBody } from './operations.js';
import { offsetPaged } from './pagination.js';

/** A tenant. */
export type Tenant = Json<'/tenants/resources/tenants/v1/{tenantId}', 'get'>;
/** What creates a tenant: its name, and its id when you choose it. */
export type NewTenant = RequestBody<'/tenants/resources/tenants/v1', 'post'>;

/** Options of `tenants.list`. */
export interface TenantListOptions {
  /** Only tenants whose name or id contains this. */
  filter?: string;
  /** Tenants per request, 1–500 (default 50). */
  pageSize?: number;
}

/** Creates, reads and deletes tenants. */
export class Tenants {
  constructor(private readonly api: ApiClient) {}

  /** Every tenant, page by page. */
  list(options: TenantListOptions = {}): AsyncGenerator<Tenant, void, undefined> {
    return offsetPaged((offset) => this.api.call('listTenants', { query: { _limit: options.pageSize, _offset: offset, _filter: options.filter } }));
  }

  /** Creates a tenant (RollcallConflictError when the id is taken). */
  create(body: NewTenant): Promise<Tenant> {
    return this.api.call('createTenant', { body });
  }

  /** One tenant. */
  get(tenantId: string): Promise<Tenant> {
    return this.api.call('getTenant', { path: { tenantId } });
  }

  /** Deletes a tenant with its connections and everything they provisioned. */
  async delete(tenantId: string): Promise<void> {
    await this.api.call('deleteTenant', { path: { tenantId } });
  }
}
