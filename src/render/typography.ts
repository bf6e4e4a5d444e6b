// Smart typography on text nodes: curly quotes, en and em dashes, ellipses.
// It works on decoded text (never on markup), so escaping is kept by construction: `AT&T` and `1 < 2` stay as they are.

/** Characters after which a quote opens rather than closes. */
const OPENING_CONTEXT = /[\s([{\u2018\u201c\u2013\u2014/-]/;

/**
 * Smarten `text`. `before` is the character that precedes it in the same block (empty at a block start),
 * so that a quote right after inline markup (`"*word*"`) still turns the right way.
 */
export function smarten(text: string, before: string): string {
  if (!/["'.-]/.test(text)) return text;
  let s = text
    .replace(/---/g, '\u2014')
    .replace(/--/g, '\u2013')
    .replace(/\.\.\./g, '\u2026');
  if (!/["']/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '"' && ch !== "'") {
      out += ch;
      continue;
    }
    const prev = i > 0 ? s[i - 1]! : before;
    const next = s[i + 1] ?? '';
    // A quote opens after a space or an opening bracket, unless a space follows it.
    const opens = (prev === '' || OPENING_CONTEXT.test(prev)) && !/\s/.test(next);
    if (ch === '"') out += opens ? '\u201c' : '\u201d';
    else if (opens && /^\d\ds/.test(s.slice(i + 1, i + 4))) out += '\u2019'; // '90s is an apostrophe
    else out += opens ? '\u2018' : '\u2019';
  }
  return out;
}
