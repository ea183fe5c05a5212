/**
 * Pages of a sorted listing. A page token names the listing and the key of the last item served, not an
 * offset, so a user added or deleted between two pages neither repeats nor hides anyone else.
 */
import type { Keyed } from './directory-data.js';
import { apiErrors } from './errors.js';

export interface PageRequest {
  /** What is listed and how (kind, order, filters): a token only works for the listing that issued it. */
  listing: string;
  descending: boolean;
  maxResults: number;
  pageToken?: string;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

interface TokenBody {
  listing: string;
  after: string;
}

/** `maxResults` as Google checks it: an integer within [1, max], `fallback` when absent. */
export function maxResultsOf(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw apiErrors.outOfRange(raw, 1, max);
  return value;
}

export function pageOf<T>(list: readonly Keyed<T>[], request: PageRequest): Page<T> {
  const after = request.pageToken ? decodeToken(request.pageToken, request.listing) : undefined;
  let entries: Keyed<T>[];
  let more: boolean;
  if (!request.descending) {
    const start = after === undefined ? 0 : firstIndex(list, (key) => key > after);
    entries = list.slice(start, start + request.maxResults);
    more = start + request.maxResults < list.length;
  } else {
    const end = after === undefined ? list.length : firstIndex(list, (key) => key >= after);
    const start = Math.max(0, end - request.maxResults);
    entries = list.slice(start, end).reverse();
    more = start > 0;
  }
  const last = entries.at(-1);
  return {
    items: entries.map((entry) => entry.item),
    ...(more && last ? { nextPageToken: encodeToken({ listing: request.listing, after: last.key }) } : {}),
  };
}

/** The first index whose key passes `test`, in a list sorted so that `test` fails then passes. */
function firstIndex<T>(list: readonly Keyed<T>[], test: (key: string) => boolean): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(list[middle].key)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function encodeToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function decodeToken(token: string, listing: string): string {
  let body: Partial<TokenBody> | undefined;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
  } catch {
    body = undefined;
  }
  if (body?.listing !== listing || typeof body.after !== 'string') throw apiErrors.invalidInput('pageToken');
  return body.after;
}
