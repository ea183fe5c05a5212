import { describe, expect, it } from 'vitest';
import { catalogueBody, catalogueChanged, catalogueDraft, fieldPlace, newCustomRow, type Catalogue } from './catalogue-draft.js';

const saved: Catalogue = {
  standard: [{ key: 'userName', type: 'string', description: 'User name' }],
  predefined: [
    { key: 'jobTitle', type: 'string', description: 'Job title', enabled: false, defaults: { other: 'title' } },
    { key: 'department', type: 'string', description: 'Department', enabled: true, defaults: { other: 'urn:…:department' } },
  ],
  custom: [{ key: 'costCode', type: 'number', description: 'Cost code', required: true }],
  customSchema: 'urn:ietf:params:scim:schemas:extension:rollcall:2.0:User',
  evaluation: { connections: 0, processed: 0, total: 0 },
};

describe('the catalogue draft', () => {
  it('is unchanged until something is edited, and sends keys in the catalogue order', () => {
    const draft = catalogueDraft(saved);
    expect(catalogueChanged(draft, saved)).toBe(false);
    draft.predefined = ['department', 'jobTitle'];
    expect(catalogueChanged(draft, saved)).toBe(true);
    expect(catalogueBody(draft, saved.predefined).predefined).toEqual(['jobTitle', 'department']);
  });

  it('trims what was typed and keeps the rows in order', () => {
    const draft = catalogueDraft(saved);
    draft.custom.push({ ...newCustomRow(), key: ' badge ', description: ' Badge number ' });
    draft.customSchema = ' urn:acme:User ';
    expect(catalogueBody(draft, saved.predefined)).toEqual({
      predefined: ['department'],
      custom: [
        { key: 'costCode', type: 'number', description: 'Cost code', required: true },
        { key: 'badge', type: 'string', description: 'Badge number', required: false },
      ],
      customSchema: 'urn:acme:User',
    });
  });

  it('gives each new row its own React key', () => {
    expect(newCustomRow().row).not.toBe(newCustomRow().row);
  });

  it("places a 400's field next to the control it names", () => {
    expect(fieldPlace('custom.1.key')).toEqual({ custom: 1, part: 'key' });
    expect(fieldPlace('custom.0.type')).toEqual({ custom: 0, part: 'type' });
    expect(fieldPlace('customSchema')).toBe('customSchema');
    expect(fieldPlace('predefined.0')).toBe('form');
    expect(fieldPlace(undefined)).toBe('form');
  });
});
