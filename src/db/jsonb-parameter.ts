/**
 * Rows sent to PostgreSQL as one jsonb parameter (`jsonb_populate_recordset`): one prepared text
 * whatever the number of rows (src/db/write-batch.ts, src/scim/store/create-statement.ts).
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * JSON for a jsonb parameter. JSON.stringify writes a lone UTF-16 surrogate as an escape that jsonb
 * refuses; as a text parameter the pg driver would have sent U+FFFD in its place, so it does here too.
 */
export function jsonbParameter(value: unknown): string {
  const text = JSON.stringify(value);
  if (!/\\ud[89a-f]/i.test(text)) return text;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(LONE_SURROGATE, '\ufffd') : v));
}
