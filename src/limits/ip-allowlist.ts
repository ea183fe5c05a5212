/**
 * Per-connection IP allowlists: CIDR blocks (IPv4 and IPv6) a SCIM connection's requests must come
 * from. Parsed and checked with node:net's BlockList; no dependency.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { normalizeAddress } from './address.js';

/** At most this many entries per connection: an IdP publishes a handful of egress ranges. */
export const MAX_ALLOWLIST_ENTRIES = 100;

/** Why an entry is not a CIDR block, or undefined when it is one. */
function problemWith(entry: string): string | undefined {
  const [ip, prefix, ...rest] = entry.split('/');
  if (rest.length > 0) return 'has more than one "/"';
  const v4 = isIPv4(ip);
  if (!v4 && !isIPv6(ip)) return 'is not an IPv4 or IPv6 address';
  if (ip.includes('%')) return 'must not carry an IPv6 zone';
  if (prefix === undefined) return undefined;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (v4 ? 32 : 128)) return `has a prefix length outside 0–${v4 ? 32 : 128}`;
  return undefined;
}

/** Whether `entry` is an IPv4 or IPv6 address, with or without a prefix length. */
export function isCidr(entry: string): boolean {
  return problemWith(entry) === undefined;
}

/**
 * Validates and normalises a list: entries trimmed and lower-cased, a bare address kept as given
 * (it means that one address), duplicates dropped. Throws a message naming the first bad entry.
 */
export function parseAllowlist(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const [i, raw] of entries.entries()) {
    const entry = raw.trim().toLowerCase();
    const problem = problemWith(entry);
    if (problem) throw new AllowlistError(`ipAllowlist[${i}] "${raw}" ${problem}`, i);
    if (!out.includes(entry)) out.push(entry);
  }
  if (out.length > MAX_ALLOWLIST_ENTRIES) throw new AllowlistError(`ipAllowlist has more than ${MAX_ALLOWLIST_ENTRIES} entries`);
  return out;
}

/** An allowlist entry that is not a CIDR block. */
export class AllowlistError extends Error {
  override name = 'AllowlistError';
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(message);
  }
}

function compile(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [ip, prefix] = entry.split('/');
    const type = isIPv4(ip) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(prefix), type);
  }
  return list;
}

/** Compiled lists by their stored JSON; connections are few and lists rarely change. */
const compiled = new Map<string, BlockList>();

/**
 * Whether `address` is inside the allowlist stored as `json` (a JSON array of entries, as
 * parseAllowlist returns them). A null or empty list allows every address.
 */
export function allowedBy(json: string | null | undefined, address: string): boolean {
  if (!json || json === '[]') return true;
  let list = compiled.get(json);
  if (!list) {
    if (compiled.size >= 10_000) compiled.clear();
    list = compile(JSON.parse(json) as string[]);
    compiled.set(json, list);
  }
  const ip = normalizeAddress(address);
  // BlockList matches an IPv4 address against IPv4-mapped IPv6 blocks too, and the reverse.
  if (isIPv4(ip)) return list.check(ip, 'ipv4');
  if (isIPv6(ip)) return list.check(ip, 'ipv6');
  return false;
}
