// Feeds, options stage: a `--since` value -> the time before which items are left alone. Apart from the
// feed code so the command line reads it without loading the parsers.

/** Read a `--since` value: a date (YYYY-MM-DD or a timestamp) or a duration back from now (36h, 7d, 2w). */
export function parseSince(value: string, now: Date): Date | undefined {
  const v = value.trim();
  const duration = /^(\d+)\s*(h|d|w)$/i.exec(v);
  if (duration) {
    const hours = Number(duration[1]) * ({ h: 1, d: 24, w: 168 } as const)[duration[2]!.toLowerCase() as 'h' | 'd' | 'w'];
    return new Date(now.getTime() - hours * 3600_000);
  }
  if (!/^\d{4}-\d\d-\d\d/.test(v)) return undefined;
  const t = Date.parse(/^\d{4}-\d\d-\d\d$/.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isNaN(t) ? undefined : new Date(t);
}
