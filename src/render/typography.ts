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
  if (!MAY_HOLD_LITERAL.test(text)) return smartenRun(text, before);
  // Web addresses, e-mail addresses and command-line options are kept as written: a `...` or `--` or `'` in
  // them is part of the address (GitHub's compare/v1.0...v2.0, Ender's_Game, first--last@) or the option
  // (`--prefix`), and one made typographic no longer works when copied.
  let out = '';
  let last = 0;
  LITERAL_RUNS.lastIndex = 0;
  for (let m = LITERAL_RUNS.exec(text); m; m = LITERAL_RUNS.exec(text)) {
    if (m.index > last) out += smartenRun(text.slice(last, m.index), last === 0 ? before : text[last - 1]!);
    out += m[0];
    last = m.index + m[0].length;
  }
  return last === 0 ? smartenRun(text, before) : out + (last < text.length ? smartenRun(text.slice(last), text[last - 1]!) : '');
}

/** A cheap test for what LITERAL_RUNS finds. */
const MAY_HOLD_LITERAL = /:\/\/|www\.|@|--[A-Za-z]/i;
/**
 * A web address (with a scheme, or starting `www.`), an e-mail address, or an option (`--name`, after a
 * space or an opening bracket).
 */
const LITERAL_RUNS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"]*|\bwww\.[^\s<>"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![^\s(\[{])--[A-Za-z][\w-]*/gi;

function smartenRun(text: string, before: string): string {
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
