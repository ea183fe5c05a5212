/** Reading and setting a connection's compatibility switches (src/connections/compatibility.ts). */
import type { Actor } from '../audit/actor.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { nowIso } from '../db/time.js';
import { notFound } from '../http/api-errors.js';
import { COMPATIBILITY_KEYS, effectiveCompatibility, presetDefaults, storedSwitches, validSwitches, type Compatibility } from './compatibility.js';
import { CompatibilityStore } from './compatibility-store.js';

/** What the API shows: the effective switches, and what each is when the connection sets none. */
export interface CompatibilityView extends Compatibility {
  /** The source preset's value of every switch (read-only). */
  defaults: Compatibility;
}

/** A change: a switch's new value, or null to take the preset's default again. */
export type CompatibilityUpdate = { [K in keyof Compatibility]?: Compatibility[K] | null };

export class CompatibilityService {
  private readonly store: CompatibilityStore;

  /** `accessChanged` runs after a change: the switches travel with resolved SCIM tokens (src/connections/scim-auth-cache.ts). */
  constructor(
    db: Kysely<Database>,
    private readonly accessChanged: () => void | Promise<void> = () => {},
  ) {
    this.store = new CompatibilityStore(db);
  }

  private static view(source: string, settings: string | null): CompatibilityView {
    return { ...effectiveCompatibility(source, settings), defaults: presetDefaults(source) };
  }

  /** The connection's switches; with `tenantId` (self-service), another tenant's connection is a 404. */
  async get(connectionId: string, tenantId?: string): Promise<CompatibilityView & { tenantId: string }> {
    const owner = await this.store.find(connectionId, tenantId);
    if (!owner) throw notFound(`SCIM configuration "${connectionId}" not found`);
    return { ...CompatibilityService.view(owner.source, owner.settings), tenantId: owner.tenantId };
  }

  /** Sets the switches `update` names (null: back to the preset's default), audited in the same transaction. */
  async set(connectionId: string, update: CompatibilityUpdate, actor: Actor, tenantId?: string): Promise<CompatibilityView> {
    const owner = await this.store.find(connectionId, tenantId);
    if (!owner) throw notFound(`SCIM configuration "${connectionId}" not found`);
    const changed = COMPATIBILITY_KEYS.filter((key) => update[key] !== undefined);
    const merge = (stored: string | null) => {
      const next: Record<string, unknown> = { ...storedSwitches(stored) };
      for (const key of changed) {
        if (update[key] === null) delete next[key];
        else next[key] = update[key];
      }
      return JSON.stringify(validSwitches(next));
    };
    let settings: string | undefined;
    try {
      settings = await this.store.update(
        connectionId,
        owner.tenantId,
        merge,
        {
          actor,
          change: (stored) => ({
            action: 'connection.updated',
            tenantId: owner.tenantId,
            target: { type: 'connection', id: connectionId },
            data: { change: 'compatibility.updated', set: Object.fromEntries(changed.map((key) => [key, update[key]])), compatibility: effectiveCompatibility(owner.source, stored) },
          }),
        },
        nowIso(),
      );
    } finally {
      await this.accessChanged();
    }
    if (settings === undefined) throw notFound(`SCIM configuration "${connectionId}" not found`);
    return CompatibilityService.view(owner.source, settings);
  }
}
