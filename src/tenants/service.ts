/** Tenants (accounts): the vendor's customers. */
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '../db/errors.js';
import { nowIso } from '../db/time.js';
import { conflict, notFound } from '../http/api-errors.js';
import type { TenantRow, TenantStore } from './store.js';

/** A tenant as the API returns it. */
export interface Tenant {
  tenantId: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

function toTenant(row: TenantRow): Tenant {
  return { tenantId: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Logic of the tenants domain. */
export class TenantService {
  /** `accessChanged` runs after a deletion: the tenant's SCIM tokens stop resolving (src/connections/scim-auth-cache.ts). */
  constructor(
    private readonly store: TenantStore,
    private readonly accessChanged: () => void | Promise<void> = () => {},
  ) {}

  async create(input: { tenantId?: string; name: string }): Promise<Tenant> {
    const now = nowIso();
    const row: TenantRow = { id: input.tenantId ?? randomUUID(), name: input.name, created_at: now, updated_at: now };
    try {
      await this.store.insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A tenant with tenantId "${row.id}" already exists`, 'tenantId');
      throw error;
    }
    return toTenant(row);
  }

  /** The tenant, or a 404 error naming it. */
  async get(tenantId: string): Promise<Tenant> {
    const row = await this.store.find(tenantId);
    if (!row) throw notFound(`Tenant "${tenantId}" not found`);
    return toTenant(row);
  }

  async list(page: { limit: number; offset: number; search?: string }) {
    const { rows, total } = await this.store.list(page);
    return {
      items: rows.map(toTenant),
      _metadata: { totalItems: total, totalPages: Math.ceil(total / page.limit), limit: page.limit, offset: page.offset },
    };
  }

  async delete(tenantId: string): Promise<void> {
    let deleted: boolean;
    try {
      deleted = await this.store.delete(tenantId);
    } finally {
      await this.accessChanged();
    }
    if (!deleted) throw notFound(`Tenant "${tenantId}" not found`);
  }
}
