/** What `rollcall secrets status` and `rollcall secrets rotate` print: key ids and counts, never a secret. */
import type { ColumnReport, RotationReport } from '../db/stored-secrets.js';
import { KEY_VARIABLE, PREVIOUS_KEYS_VARIABLE, type Keyring } from './encryption.js';

/** The configured keys, by id. */
export function keysText(keys: Keyring): string[] {
  return [
    `${KEY_VARIABLE}: ${keys.current ? `key id ${keys.current.id}` : 'not set (secrets are stored in plain text)'}`,
    `${PREVIOUS_KEYS_VARIABLE}: ${keys.previous.length > 0 ? `key id ${keys.previous.map((key) => key.id).join(', ')}` : 'none'}`,
  ];
}

/** One line per secret column: how many are under the current key, under each previous key, in plain text, unreadable. */
export function statusText(reports: readonly ColumnReport[], keys: Keyring): string {
  const lines = keysText(keys);
  for (const report of reports) {
    const counts = [
      ...(report.current > 0 ? [`${report.current} encrypted with the current key`] : []),
      ...Object.entries(report.previous).map(([id, n]) => `${n} encrypted with previous key ${id}`),
      ...(report.plain > 0 ? [`${report.plain} in plain text`] : []),
      ...(report.unreadable.length > 0 ? [`${report.unreadable.length} unreadable`] : []),
    ];
    lines.push(`${report.column}: ${counts.length > 0 ? counts.join(', ') : 'none stored'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The status as JSON: counts and key ids. */
export function statusJson(reports: readonly ColumnReport[], keys: Keyring): string {
  return `${JSON.stringify({
    currentKeyId: keys.current?.id ?? null,
    previousKeyIds: keys.previous.map((key) => key.id),
    columns: reports.map((r) => ({ column: r.column, current: r.current, previous: r.previous, plain: r.plain, unreadable: r.unreadable.length })),
  })}\n`;
}

/** One line per secret column: what the rotation changed. */
export function rotationText(reports: readonly RotationReport[], keys: Keyring): string {
  const lines = reports.map((r) => `${r.column}: ${r.encrypted} encrypted (were plain text), ${r.reencrypted} re-encrypted (were under a previous key), ${r.unchanged} already under the current key`);
  lines.push(`Every stored secret is encrypted with key id ${keys.current?.id ?? '-'} (${KEY_VARIABLE}).`);
  return `${lines.join('\n')}\n`;
}
