/** `3600`, `15m`, `1h`, `1h30m`, `90s` → seconds. The schema has checked the shape. */
export function durationSeconds(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || seconds === 0 ? `${s}s` : ''}`;
}

/** `YYYY-MM-DD` is 00:00:00 UTC of that day; a full timestamp is taken as it is. */
export function instant(value: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
}

/** ISO-8601 in UTC, without milliseconds when they are zero: 2026-12-06T00:00:00Z. */
export function isoInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}
