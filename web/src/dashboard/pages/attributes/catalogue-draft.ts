/**
 * The attribute catalogue (GET/PUT /api/v1/attributes) as the Attributes page edits it: which
 * predefined attributes are on, the custom attributes' rows and the extension URN; what a save
 * sends; and which field a 400's `field` (`custom.1.key`, `customSchema`) names.
 */
import type { ApiBody } from '../../../shared/types.js';

/** GET /api/v1/attributes (and what the PUT answers). */
export type Catalogue = ApiBody<'/api/v1/attributes', 'get'>;
export type PredefinedAttribute = Catalogue['predefined'][number];
export type CustomType = Catalogue['custom'][number]['type'];
/** Re-evaluations still running after a change, across connections. */
export type CatalogueEvaluation = Catalogue['evaluation'];

/** The types a custom attribute may have, with what people read for each. */
export const CUSTOM_TYPES: readonly { type: CustomType; label: string }[] = [
  { type: 'string', label: 'Text (string)' },
  { type: 'number', label: 'Number (number)' },
  { type: 'boolean', label: 'True or false (boolean)' },
  { type: 'date', label: 'Date (date)' },
  { type: 'string[]', label: 'List of text (string[])' },
];

/** One custom attribute's row; `row` keeps React's key steady while rows are added and removed. */
export interface CustomRow {
  row: number;
  key: string;
  type: CustomType;
  description: string;
  required: boolean;
}

export interface CatalogueDraft {
  /** The predefined keys switched on. */
  predefined: string[];
  custom: CustomRow[];
  customSchema: string;
}

let nextRow = 0;

/** An empty custom attribute row. */
export function newCustomRow(): CustomRow {
  return { row: nextRow++, key: '', type: 'string', description: '', required: false };
}

/** The draft of a saved catalogue. */
export function catalogueDraft(catalogue: Catalogue): CatalogueDraft {
  return {
    predefined: catalogue.predefined.filter((a) => a.enabled).map((a) => a.key),
    custom: catalogue.custom.map((a) => ({ row: nextRow++, key: a.key, type: a.type, description: a.description, required: a.required })),
    customSchema: catalogue.customSchema,
  };
}

/** The PUT body of a draft; the predefined keys in the catalogue's order. */
export function catalogueBody(draft: CatalogueDraft, order: readonly PredefinedAttribute[]) {
  const on = new Set(draft.predefined);
  return {
    predefined: order.map((a) => a.key).filter((key) => on.has(key)),
    custom: draft.custom.map(({ key, type, description, required }) => ({ key: key.trim(), type, description: description.trim(), required })),
    customSchema: draft.customSchema.trim(),
  };
}

/** Whether the draft differs from the saved catalogue. */
export function catalogueChanged(draft: CatalogueDraft, saved: Catalogue): boolean {
  return JSON.stringify(catalogueBody(draft, saved.predefined)) !== JSON.stringify(catalogueBody(catalogueDraft(saved), saved.predefined));
}

/** Where a 400's field is shown: a custom row's key, type or description, the URN, or the form. */
export type FieldPlace = { custom: number; part: 'key' | 'type' | 'description' | 'required' } | 'customSchema' | 'form';

export function fieldPlace(field: string | undefined): FieldPlace {
  if (field === 'customSchema') return 'customSchema';
  const match = /^custom\.(\d+)\.(key|type|description|required)$/.exec(field ?? '');
  return match ? { custom: Number(match[1]), part: match[2] as 'key' | 'type' | 'description' | 'required' } : 'form';
}
