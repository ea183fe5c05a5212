/** The portal theme in the builder settings: validation, round trip, clearing, audit, portalTheme(). */
import { describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';
import { expectError, getJson } from '../directory/support.js';

const SETTINGS = '/api/v1/settings';
const PNG = `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\n fake image').toString('base64')}`;
const EMPTY_THEME = { brandColor: null, logoUrl: null, productName: null };

for (const dialect of dialectsUnderTest()) {
  describe(`portal theme settings [${dialect}]`, () => {
    const t = useTestApp(dialect);
    const patch = (portal: unknown) => t.app.inject({ method: 'PATCH', url: SETTINGS, headers: { authorization: t.auth }, payload: { portal } as object });

    it('has no theme until one is set', async () => {
      expect(await getJson(t, SETTINGS)).toEqual({ selfService: { scimProvisioning: false }, portal: EMPTY_THEME });
      expect(await t.app.services.settings.portalTheme()).toEqual(EMPTY_THEME);
    });

    it('stores a theme and returns it from GET, PATCH and portalTheme()', async () => {
      const res = await patch({ brandColor: '#1A2b3C', logoUrl: 'https://cdn.example.test/logo.svg', productName: '  Acme Admin  ' });
      expect(res.statusCode, res.body).toBe(200);
      const theme = { brandColor: '#1A2b3C', logoUrl: 'https://cdn.example.test/logo.svg', productName: 'Acme Admin' };
      expect(res.json()).toEqual({ selfService: { scimProvisioning: false }, portal: theme });
      expect((await getJson(t, SETTINGS)).portal).toEqual(theme);
      expect(await t.app.services.settings.portalTheme()).toEqual(theme);
      // Only the named value changes; a data URL logo is accepted.
      expect((await patch({ logoUrl: PNG })).json().portal).toEqual({ ...theme, logoUrl: PNG });
      const svg = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;
      expect((await patch({ logoUrl: svg })).json().portal.logoUrl).toBe(svg);
    });

    it('clears a value with null', async () => {
      const res = await patch({ logoUrl: null, productName: null });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().portal).toEqual({ brandColor: '#1A2b3C', logoUrl: null, productName: null });
      expect(await t.app.services.settings.portalTheme()).toEqual({ brandColor: '#1A2b3C', logoUrl: null, productName: null });
    });

    it('refuses bad colours, unsafe or oversized logos and long names, changing nothing', async () => {
      const before = await getJson(t, SETTINGS);
      const cases: [unknown, string][] = [
        [{ brandColor: 'red' }, 'portal.brandColor'],
        [{ brandColor: '#12345' }, 'portal.brandColor'],
        [{ brandColor: '#1234567' }, 'portal.brandColor'],
        [{ brandColor: '#gggggg' }, 'portal.brandColor'],
        [{ brandColor: 'x#123456' }, 'portal.brandColor'],
        [{ logoUrl: 'javascript:alert(1)' }, 'portal.logoUrl'],
        [{ logoUrl: 'JavaScript:alert(1)//https://x' }, 'portal.logoUrl'],
        [{ logoUrl: 'http://cdn.example.test/logo.png' }, 'portal.logoUrl'],
        [{ logoUrl: 'https://user:pass@cdn.example.test/logo.png' }, 'portal.logoUrl'],
        [{ logoUrl: '/logo.png' }, 'portal.logoUrl'],
        [{ logoUrl: 'data:text/html;base64,PHNjcmlwdD4=' }, 'portal.logoUrl'],
        [{ logoUrl: 'data:image/png,rawbytes' }, 'portal.logoUrl'],
        [{ logoUrl: 'data:image/gif;base64,R0lGODlh' }, 'portal.logoUrl'],
        [{ logoUrl: `data:image/png;base64,${'A'.repeat(64 * 1024)}` }, 'portal.logoUrl'],
        [{ logoUrl: `https://cdn.example.test/${'a'.repeat(2100)}` }, 'portal.logoUrl'],
        [{ productName: 'x'.repeat(81) }, 'portal.productName'],
        [{ productName: '   ' }, 'portal.productName'],
        [{ productName: 5 }, 'portal.productName'],
        [{ unknown: 'x' }, 'portal.unknown'],
      ];
      for (const [portal, field] of cases) expectError(await patch(portal), 400, field);
      expectError(await patch({}), 400);
      expectError(await patch('dark'), 400);
      expect((await patch({ productName: 'x'.repeat(80) })).statusCode).toBe(200);
      expect((await patch({ productName: before.portal.productName })).statusCode).toBe(200);
      expect(await getJson(t, SETTINGS)).toEqual(before);
    });

    it('audits theme changes, recording a data-URL logo by size and hash', async () => {
      await patch({ logoUrl: PNG });
      const [entry] = (await getJson(t, '/api/v1/audit?action=settings.updated&limit=1')).items;
      expect(entry).toMatchObject({ tenantId: null, target: { type: 'settings', id: null }, actor: { type: 'credential' } });
      expect(entry.data.before.portal.logoUrl).toBeNull();
      expect(entry.data.after.portal).toMatchObject({ brandColor: '#1A2b3C', productName: null });
      expect(entry.data.after.portal.logoUrl).toMatch(new RegExp(`^data:image/png;base64,… \\(${PNG.length} characters, sha256 [0-9a-f]{16}…\\)$`));
      const count = (await getJson(t, '/api/v1/audit?action=settings.updated&limit=500')).items.length;
      await patch({ logoUrl: PNG });
      expect((await getJson(t, '/api/v1/audit?action=settings.updated&limit=500')).items.length).toBe(count);
    });
  });
}
