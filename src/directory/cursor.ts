/**
 * Opaque cursors of the directory lists: the keyset position of the last item of a page. Lists of
 * users and groups are ordered by (created_at, id), which never change, so an item cannot move
 * between pages while a client pages through; group members are ordered by member id.
 */

/** What a cursor is a position in: a cursor of one kind of list is refused by another. */
export const CURSOR_KINDS = ['users', 'groups', 'members'] as const;
/** One of the cursor kinds. */
export type CursorKind = (typeof CURSOR_KINDS)[number];

/** A keyset position: the sort key of the last item returned. */
export interface Position {
  createdAt: string;
  id: string;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_ID = 256;

export function encodeCursor(kind: CursorKind, position: Position): string {
  return Buffer.from(JSON.stringify([kind, position.createdAt, position.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor of `kind`; undefined when it is not one this server made for that kind of list. */
export function decodeCursor(kind: CursorKind, cursor: string): Position | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [k, createdAt, id] = parsed as unknown[];
  if (k !== kind || typeof createdAt !== 'string' || typeof id !== 'string') return undefined;
  // Members are ordered by id alone: their cursor carries an empty createdAt.
  const createdAtOk = kind === 'members' ? createdAt === '' : ISO_UTC.test(createdAt);
  if (!createdAtOk || id === '' || id.length > MAX_ID) return undefined;
  return { createdAt, id };
}
