/** Opaque feed cursors: the position (transaction order, sequence) of the last event read. */

/** A position in the feed. */
export interface FeedPosition {
  txOrder: number;
  seq: number;
}

export const FEED_START: FeedPosition = { txOrder: -1, seq: 0 };

/** After every event: where a newest-first read starts. */
export const FEED_END: FeedPosition = { txOrder: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };

/** The two directions the feed is read in. */
export const FEED_ORDERS = ['asc', 'desc'] as const;
/** Oldest first (`asc`, the order webhooks deliver in) or newest first (`desc`). */
export type FeedOrder = (typeof FEED_ORDERS)[number];

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.txOrder}.${position.seq}`, 'utf8').toString('base64url');
}

/** Decodes a cursor; undefined when it is not one this server made. */
export function decodeCursor(cursor: string): FeedPosition | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(-?\d{1,19})\.(\d{1,19})$/.exec(text);
  if (!match) return undefined;
  return { txOrder: Number(match[1]), seq: Number(match[2]) };
}

