/**
 * Converting what a source path read into an attribute's type. A value that does not convert gives
 * null and a reason in plain words: the provider's request still succeeds, and the reason is shown
 * for the connection.
 */
import { getCaseInsensitive, isPlainObject } from '../scim/filter/index.js';
import type { AttributeType } from './types.js';

/** A converted value, or null with the reason it could not be converted. */
export type Converted = { value: unknown; problem?: undefined } | { value: null; problem: string };

const ADDRESS_FIELDS = ['streetAddress', 'locality', 'region', 'postalCode', 'country', 'formatted'] as const;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const fail = (problem: string): Converted => ({ value: null, problem });

/** A short quotation of a raw value for a reason. */
function shown(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Converts `raw` (undefined or null when the source has no value) to `type`. */
export function convert(raw: unknown, type: AttributeType): Converted {
  if (raw === undefined || raw === null) return { value: null };
  switch (type) {
    case 'string':
      return scalar(Array.isArray(raw) ? raw[0] : raw, (v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined), 'text');
    case 'number':
      return scalar(raw, (v) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && NUMBER.test(v.trim()) ? Number(v.trim()) : undefined), 'a number');
    case 'boolean':
      return scalar(raw, (v) => (typeof v === 'boolean' ? v : typeof v === 'string' && /^(true|false)$/i.test(v.trim()) ? v.trim().toLowerCase() === 'true' : undefined), 'true or false');
    case 'date':
      return scalar(raw, toDate, 'a date (YYYY-MM-DD or an RFC 3339 date-time)');
    case 'string[]': {
      const items = Array.isArray(raw) ? raw : [raw];
      const out: string[] = [];
      for (const item of items) {
        if (typeof item === 'string') out.push(item);
        else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
        else return fail(`${shown(raw)} is not a list of texts`);
      }
      return { value: out };
    }
    case 'address':
      return toAddress(Array.isArray(raw) ? raw[0] : raw);
    case 'user':
      return toUserReference(Array.isArray(raw) ? raw[0] : raw);
  }
}

function scalar(raw: unknown, read: (value: unknown) => unknown, what: string): Converted {
  if (Array.isArray(raw)) return fail(`${shown(raw)} is several values, not ${what}`);
  const value = read(raw);
  return value === undefined ? fail(`${shown(raw)} is not ${what}`) : { value };
}

function toDate(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (DATE_ONLY.test(text)) {
    const time = Date.parse(`${text}T00:00:00Z`);
    // Date.parse rolls 2026-02-30 over to March: a date that does not exist is not a date.
    return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text ? undefined : text;
  }
  if (!DATE_TIME.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function toAddress(raw: unknown): Converted {
  if (!isPlainObject(raw)) return fail(`${shown(raw)} is not an address`);
  const out: Record<string, string | null> = {};
  for (const field of ADDRESS_FIELDS) {
    const value = getCaseInsensitive(raw, field);
    out[field] = typeof value === 'string' && value !== '' ? value : null;
  }
  return { value: out };
}

/** The id a provider sent for a user (the manager's): resolved to the user when the directory API reads it. */
function toUserReference(raw: unknown): Converted {
  const value = isPlainObject(raw) ? getCaseInsensitive(raw, 'value') : raw;
  if (typeof value === 'string' && value.trim() !== '') return { value: value.trim() };
  if (typeof value === 'number') return { value: String(value) };
  return fail(`${shown(raw)} is not a user's id`);
}
