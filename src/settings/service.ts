/** Builder settings: environment switches that change what the self-service portal offers and how it looks. */
import type { Actor } from '../audit/actor.js';
import { AuditStore } from '../audit/store.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/time.js';
import { PORTAL_THEME_KEYS, auditedTheme, checkPortalPatch, type PortalTheme, type PortalThemePatch } from './portal-theme.js';
import { SettingsStore } from './store.js';

/** The builder settings as GET /api/v1/settings shows them. */
export interface BuilderSettings {
  selfService: {
    /** Whether user tokens may use the SCIM configuration endpoints. Off until the vendor turns it on. */
    scimProvisioning: boolean;
  };
  /** How the self-service portal looks; null values mean Rollcall's defaults. */
  portal: PortalTheme;
}

/** A partial change, as PATCH takes it. */
export interface SettingsPatch {
  selfService?: { scimProvisioning?: boolean };
  portal?: PortalThemePatch;
}

const SCIM_PROVISIONING = 'selfService.scimProvisioning';
/** Each theme value is its own row (`portal.brandColor` …): changing one cannot overwrite another. */
const themeRow = (key: keyof PortalTheme) => `portal.${key}`;

function themeOf(rows: Map<string, string>): PortalTheme {
  return {
    brandColor: rows.get(themeRow('brandColor')) ?? null,
    logoUrl: rows.get(themeRow('logoUrl')) ?? null,
    productName: rows.get(themeRow('productName')) ?? null,
  };
}

function fromRows(rows: Map<string, string>): BuilderSettings {
  return { selfService: { scimProvisioning: rows.get(SCIM_PROVISIONING) === 'true' }, portal: themeOf(rows) };
}

/** The settings as the audit log keeps them (see auditedTheme). */
const audited = (settings: BuilderSettings): BuilderSettings => ({ ...settings, portal: auditedTheme(settings.portal) });

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

  /** The portal theme, for the portal's session answer. */
  async portalTheme(): Promise<PortalTheme> {
    return themeOf(await this.store.getMany(PORTAL_THEME_KEYS.map(themeRow)));
  }

  /** Applies the change and its audit entry in one transaction; returns the settings after it. */
  update(actor: Actor, patch: SettingsPatch): Promise<BuilderSettings> {
    const portal = patch.portal === undefined ? undefined : checkPortalPatch(patch.portal);
    return this.db.kysely.transaction().execute(async (trx) => {
      const store = new SettingsStore(trx);
      const now = nowIso();
      const before = fromRows(await store.all());
      const scim = patch.selfService?.scimProvisioning;
      if (scim !== undefined) await store.set(SCIM_PROVISIONING, String(scim), now);
      for (const key of PORTAL_THEME_KEYS) {
        const value = portal?.[key];
        if (value === null) await store.remove(themeRow(key));
        else if (value !== undefined) await store.set(themeRow(key), value, now);
      }
      const after = fromRows(await store.all());
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        const change = { action: 'settings.updated', tenantId: null, target: { type: 'settings', id: null }, data: { before: audited(before), after: audited(after) } } as const;
        await new AuditStore(trx).append(actor, change, now);
      }
      return after;
    });
  }
}
