/** Builder settings: environment switches that change what the self-service portal offers. */
import type { Actor } from '../audit/actor.js';
import { AuditStore } from '../audit/store.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/time.js';
import { SettingsStore } from './store.js';

/** The builder settings as GET /api/v1/settings shows them. */
export interface BuilderSettings {
  selfService: {
    /** Whether user tokens may use the SCIM configuration endpoints. Off until the vendor turns it on. */
    scimProvisioning: boolean;
  };
}

/** A partial change, as PATCH takes it. */
export interface SettingsPatch {
  selfService?: { scimProvisioning?: boolean };
}

const SCIM_PROVISIONING = 'selfService.scimProvisioning';

function fromRows(rows: Map<string, string>): BuilderSettings {
  return { selfService: { scimProvisioning: rows.get(SCIM_PROVISIONING) === 'true' } };
}

/** Logic of the settings domain. */
export class SettingsService {
  private readonly store: SettingsStore;

  constructor(private readonly db: Db) {
    this.store = new SettingsStore(db.kysely);
  }

  async get(): Promise<BuilderSettings> {
    return fromRows(await this.store.all());
  }

  /** One indexed read; asked on every user-token call. */
  async selfServiceScimEnabled(): Promise<boolean> {
    return (await this.store.get(SCIM_PROVISIONING)) === 'true';
  }

  /** Applies the change and its audit entry in one transaction; returns the settings after it. */
  update(actor: Actor, patch: SettingsPatch): Promise<BuilderSettings> {
    return this.db.kysely.transaction().execute(async (trx) => {
      const store = new SettingsStore(trx);
      const now = nowIso();
      const before = fromRows(await store.all());
      const scim = patch.selfService?.scimProvisioning;
      if (scim !== undefined) await store.set(SCIM_PROVISIONING, String(scim), now);
      const after = fromRows(await store.all());
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await new AuditStore(trx).append(actor, { action: 'settings.updated', tenantId: null, target: { type: 'settings', id: null }, data: { before, after } }, now);
      }
      return after;
    });
  }
}
