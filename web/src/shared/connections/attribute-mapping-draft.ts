/**
 * A connection's attribute mappings as the mapping editor holds them while they are changed: each
 * attribute's typed source path (empty: the provider's default) or "map to nothing", and what that
 * draft sends to the preview and the save (PUT /api/v1/connections/{id}/attribute-mappings).
 */
import type { ApiBody } from '../types.js';

/** GET /api/v1/connections/{id}/attribute-mappings (and what the PUT answers). */
export type AttributeMappings = ApiBody<'/api/v1/connections/{id}/attribute-mappings', 'get'>;
/** One active attribute of the catalogue, as the mappings list it. */
export type MappedAttribute = AttributeMappings['attributes'][number];
/** A connection's re-evaluation of its users after a change. */
export type MappingEvaluation = AttributeMappings['evaluation'];
/** POST …/attribute-mappings/preview: the values proposed mappings give one provisioned user. */
export type MappingPreview = ApiBody<'/api/v1/connections/{id}/attribute-mappings/preview', 'post'>;
/** The user a preview read. */
export type PreviewUser = NonNullable<MappingPreview['user']>;
/** GET /api/v1/connections/{id}/attribute-problems: users whose values did not convert. */
export type AttributeProblemPage = ApiBody<'/api/v1/connections/{id}/attribute-problems', 'get'>;

/** One attribute's source in the editor. */
export interface SourceDraft {
  /** The path as typed; empty means the provider's default. Kept while `nothing` is on, so unticking restores it. */
  text: string;
  /** Map to nothing: the attribute stays empty for this connection's users. */
  nothing: boolean;
}

/** The editor's sources by attribute key. */
export type MappingDraft = Record<string, SourceDraft>;

/** The draft of saved mappings: each attribute's effective source, the default written out. */
export function draftOf(saved: AttributeMappings): MappingDraft {
  const draft: MappingDraft = {};
  for (const { key } of saved.attributes) {
    const source = saved.mappings[key];
    draft[key] = source === null || source === undefined ? { text: saved.defaults[key] ?? '', nothing: source === null } : { text: source, nothing: false };
  }
  return draft;
}

/**
 * What the draft sends: every attribute, null for nothing, the default for an empty path. The
 * default is spelled out (not left out) because a preview merges what it is sent over the saved
 * mappings, where the attribute may still have a source of its own.
 */
export function mappingsBody(draft: MappingDraft, defaults: AttributeMappings['defaults']): Record<string, string | null> {
  const body: Record<string, string | null> = {};
  for (const [key, source] of Object.entries(draft)) {
    const text = source.text.trim();
    body[key] = source.nothing ? null : text === '' ? (defaults[key] ?? null) : text;
  }
  return body;
}

/** Whether a source is the provider's default (an empty path is). */
export function isDefaultSource(source: SourceDraft, defaultPath: string | null | undefined): boolean {
  if (source.nothing) return defaultPath === null;
  const text = source.text.trim();
  return text === '' || text === defaultPath;
}

/** Whether the draft differs from the saved mappings. */
export function draftChanged(draft: MappingDraft, saved: AttributeMappings): boolean {
  const body = mappingsBody(draft, saved.defaults);
  return Object.entries(body).some(([key, path]) => path !== (saved.mappings[key] ?? null));
}

/** The attribute key a 400's `field` names (`mappings.department` → `department`), if it names one. */
export function mappingField(field: string | undefined): string | undefined {
  return field?.startsWith('mappings.') ? field.slice('mappings.'.length) : undefined;
}
