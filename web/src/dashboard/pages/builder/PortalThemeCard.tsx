/** The portal theme (brand colour, logo URL, product name) with a live preview of the portal. */
import { useState, type FormEvent } from 'react';
import { api } from '../../../shared/api.js';
import type { PortalTheme } from '../../../shared/types.js';
import { Button } from '../../../shared/ui/Button.js';
import { TextField } from '../../../shared/ui/Field.js';
import { Card } from '../../../shared/ui/Layout.js';
import { FormError } from '../../../shared/ui/States.js';
import { useAction } from '../../../shared/use-api.js';
import { PortalPreview } from './PortalPreview.js';
import { DEFAULT_BRAND, HEX_COLOUR, type BuilderSettings } from './types.js';

type Draft = { brandColor: string; logoUrl: string; productName: string };
const draftOf = (theme: PortalTheme): Draft => ({ brandColor: theme.brandColor ?? '', logoUrl: theme.logoUrl ?? '', productName: theme.productName ?? '' });
/** Blank means "Rollcall's default", which the API spells null. */
const themeOf = (draft: Draft): PortalTheme => ({
  brandColor: draft.brandColor.trim() || null,
  logoUrl: draft.logoUrl.trim() || null,
  productName: draft.productName.trim() || null,
});
const CLEARED: PortalTheme = { brandColor: null, logoUrl: null, productName: null };

export function PortalThemeCard({ saved, scimProvisioning, onSaved }: { saved: PortalTheme; scimProvisioning: boolean; onSaved: (settings: BuilderSettings) => void }) {
  const [draft, setDraft] = useState(() => draftOf(saved));
  const [notice, setNotice] = useState('');
  const save = useAction((portal: PortalTheme) => api.patch<BuilderSettings>('/api/v1/settings', { portal }));
  const set = (changes: Partial<Draft>) => {
    setNotice('');
    setDraft((d) => ({ ...d, ...changes }));
  };
  const apply = async (portal: PortalTheme, message: string) => {
    setNotice('');
    const settings = await save.run(portal);
    if (settings) {
      setDraft(draftOf(settings.portal));
      onSaved(settings);
      setNotice(message);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void apply(themeOf(draft), 'Portal theme saved. Customers see it the next time they open the portal.');
  };
  const errorFor = (key: keyof Draft) => (save.error?.field === `portal.${key}` ? save.error.message : undefined);
  const inField = save.error?.field?.startsWith('portal.') ?? false;
  const dirty = JSON.stringify(themeOf(draft)) !== JSON.stringify(saved);
  const colour = HEX_COLOUR.test(draft.brandColor.trim()) ? draft.brandColor.trim().toLowerCase() : DEFAULT_BRAND;

  return (
    <Card title="Portal theme">
      <div className="builder-theme">
        <form onSubmit={submit} noValidate aria-label="Portal theme">
          <div className="colour-row">
            <TextField
              label="Brand colour"
              className="mono"
              value={draft.brandColor}
              placeholder={DEFAULT_BRAND}
              onChange={(e) => set({ brandColor: e.target.value })}
              hint="A #rrggbb colour for buttons, tabs and links. Blank: Rollcall's indigo."
              error={errorFor('brandColor')}
              autoComplete="off"
              spellCheck={false}
            />
            <input type="color" aria-label="Pick the brand colour" value={colour} onChange={(e) => set({ brandColor: e.target.value })} />
          </div>
          <TextField
            label="Logo URL"
            type="url"
            value={draft.logoUrl}
            placeholder="https://cdn.example.com/logo.svg"
            onChange={(e) => set({ logoUrl: e.target.value })}
            hint="An https: URL, or a data:image/png, svg+xml or jpeg;base64 URL (up to 64 KB). Blank: no logo."
            error={errorFor('logoUrl')}
            autoComplete="off"
          />
          <TextField
            label="Product name"
            value={draft.productName}
            maxLength={80}
            placeholder="Acme Cloud"
            onChange={(e) => set({ productName: e.target.value })}
            hint="Shown in the portal's header and its texts. Blank: none."
            error={errorFor('productName')}
          />
          <FormError error={inField ? undefined : save.error} />
          <div className="form-actions">
            <Button variant="primary" type="submit" busy={save.busy}>
              Save theme
            </Button>
            <Button onClick={() => void apply(CLEARED, 'The portal uses Rollcall’s default look again.')} disabled={save.busy || JSON.stringify(saved) === JSON.stringify(CLEARED)}>
              Reset to defaults
            </Button>
            <span role="status" aria-live="polite" className="hint">
              {notice || (dirty ? 'Unsaved changes' : '')}
            </span>
          </div>
        </form>
        <PortalPreview theme={themeOf(draft)} scimProvisioning={scimProvisioning} />
      </div>
    </Card>
  );
}
