/** `Nov 28, 14:03:07` (the browser's locale and time zone): log lines and events need the seconds. */
export function formatTimeWithSeconds(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
