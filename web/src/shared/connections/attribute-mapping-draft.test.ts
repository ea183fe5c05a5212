import { describe, expect, it } from 'vitest';
import { draftChanged, draftOf, isDefaultSource, mappingField, mappingsBody, type AttributeMappings } from './attribute-mapping-draft.js';
import { attributeTypeLabel, attributeValueText } from './attribute-values.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const saved: AttributeMappings = {
  mappings: { jobTitle: 'title', department: 'urn:acme:dept', costCode: null },
  defaults: { jobTitle: 'title', department: `${ENTERPRISE}:department`, costCode: 'urn:acme:User:costCode' },
  attributes: [
    { key: 'jobTitle', type: 'string', kind: 'predefined', required: false, description: 'Job title', customized: false },
    { key: 'department', type: 'string', kind: 'predefined', required: false, description: 'Department', customized: true },
    { key: 'costCode', type: 'number', kind: 'custom', required: true, description: '', customized: true },
  ],
  missingRequired: ['costCode'],
  problemUsers: 0,
  evaluation: { state: 'idle', processed: 0, total: 0, changed: 0, startedAt: null, finishedAt: null },
};

describe('the mapping draft', () => {
  it('starts from the saved sources, the default written out, nothing kept as nothing', () => {
    expect(draftOf(saved)).toEqual({
      jobTitle: { text: 'title', nothing: false },
      department: { text: 'urn:acme:dept', nothing: false },
      costCode: { text: 'urn:acme:User:costCode', nothing: true },
    });
    expect(draftChanged(draftOf(saved), saved)).toBe(false);
  });

  it('sends every attribute: an empty path as the default, nothing as null, paths trimmed', () => {
    const draft = { jobTitle: { text: '', nothing: false }, department: { text: ' name.givenName ', nothing: false }, costCode: { text: 'x', nothing: true } };
    expect(mappingsBody(draft, saved.defaults)).toEqual({ jobTitle: 'title', department: 'name.givenName', costCode: null });
    expect(draftChanged(draft, saved)).toBe(true);
  });

  it('says when a source is the default', () => {
    expect(isDefaultSource({ text: '', nothing: false }, 'title')).toBe(true);
    expect(isDefaultSource({ text: ' title ', nothing: false }, 'title')).toBe(true);
    expect(isDefaultSource({ text: 'userType', nothing: false }, 'title')).toBe(false);
    expect(isDefaultSource({ text: 'title', nothing: true }, 'title')).toBe(false);
  });

  it("reads the attribute a 400's field names", () => {
    expect(mappingField('mappings.department')).toBe('department');
    expect(mappingField('mappings')).toBeUndefined();
    expect(mappingField(undefined)).toBeUndefined();
  });
});

describe('attribute values as text', () => {
  it('shows each type in plain words', () => {
    expect(attributeValueText(null, 'string')).toBeUndefined();
    expect(attributeValueText('Engineering', 'string')).toBe('Engineering');
    expect(attributeValueText(42.5, 'number')).toBe('42.5');
    expect(attributeValueText(false, 'boolean')).toBe('false');
    expect(attributeValueText(['a', 'b'], 'string[]')).toBe('a, b');
    expect(attributeValueText([], 'string[]')).toBeUndefined();
    expect(attributeValueText({ streetAddress: '1 Main St', locality: 'Springfield', postalCode: '12345', country: 'US' }, 'address')).toBe('1 Main St, 12345 Springfield, US');
    expect(attributeValueText({ formatted: '1 Main St\nSpringfield' }, 'address')).toBe('1 Main St, Springfield');
  });

  it('names a manager by the provisioned user, or says the reference names nobody', () => {
    expect(attributeValueText({ id: 'u1', userName: 'ada', displayName: 'Ada Lovelace', value: 'ada' }, 'user')).toBe('Ada Lovelace (ada)');
    expect(attributeValueText({ id: null, userName: null, displayName: null, value: 'E42' }, 'user')).toBe('E42 (no provisioned user has this ID or user name)');
  });

  it('tells a user reference from an address without the type', () => {
    expect(attributeValueText({ id: 'u1', userName: 'ada', displayName: null, value: 'ada' })).toBe('ada');
    expect(attributeValueText({ locality: 'Springfield' })).toBe('Springfield');
    expect(attributeValueText('x')).toBe('x');
  });

  it('labels types as people read them, an unknown one as it is', () => {
    expect(attributeTypeLabel('string[]')).toBe('list of text');
    expect(attributeTypeLabel('geo')).toBe('geo');
  });
});
