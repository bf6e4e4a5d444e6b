// Smart typography on text nodes: curly quotes, en and em dashes, ellipses.
// It works on decoded text (never on markup), so escaping is kept by construction: `AT&T` and `1 < 2` stay as they are.

/** Characters after which a quote opens rather than closes (`key='value'`, `a/"b"`, `--"c"`). */
const OPENING_CONTEXT = /[\s([{\u2018\u201c\u2013\u2014/:=-]/;
/** Of those, the ones after which a quote surely opens, even inside a quotation: a space or an opening bracket. */
const SURE_OPENING = /[\s([{\u2018\u201c]/;
/** Characters before which a quote after a `/`, `:` or dash closes: punctuation that ends or separates. */
const CLOSING_NEXT = /[,;:!?)\]}]/;

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
const MAY_HOLD_LITERAL = /:\/\/|www\.|@|--[A-Za-z0-9]|\w\.\.\.\w|\{[{%]/i;
/**
 * A web address (with a scheme, or starting `www.`), an e-mail address, a user's handle (`@Rob--W`), an
 * option (`--name`, `--3way`, after a space, an opening bracket or a quote: `"--force"`), a range written
 * with three dots and no space (`v1.2.3...v1.3.0`, GitHub's compare links' text; `for...of`), or a site
 * generator's tag shown as written (`{{< param "version" >}}`, `{% include "note.html" %}`,
 * `{{ site.title }}`: Hugo's, Liquid's, Handlebars'), up to 500 characters on one line.
 */
const LITERAL_RUNS = /\{\{[<%](?:[^%>\n]|[%>](?!\}\})){0,500}[%>]\}\}|\{%(?:[^%\n]|%(?!\})){0,500}%\}|\{\{[^{}\n]{0,500}\}\}|\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"]*|\bwww\.[^\s<>"]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w.])@[A-Za-z0-9][\w-]*|(?:(?<![^\s(\[{])|(?<=(?:^|[\s(\[{])["'\u201c\u2018]))--[A-Za-z0-9][\w-]*|[\w-]*\w\.\.\.\w[\w.-]*/gi;

function smartenRun(text: string, before: string): string {
  if (!/["'.-]/.test(text)) return text;
  let s = text
    .replace(/---/g, '\u2014')
    .replace(/--/g, '\u2013')
    .replace(/\.\.\./g, '\u2026');
  if (!/["']/.test(s)) return s;
  let out = '';
  // Double quotes opened and not yet closed in this text: inside one, a `"` after a `/` or a dash closes it
  // (`"/"`, `"../"`).
  let open = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '"' && ch !== "'") {
      out += ch;
      continue;
    }
    const prev = i > 0 ? s[i - 1]! : before;
    const next = s[i + 1] ?? '';
    // A quote opens after a space or an opening bracket, unless a space follows it; after a `/`, `:` or dash
    // it closes before punctuation (`"/",`).
    const sure = prev === '' || SURE_OPENING.test(prev);
    let opens = (sure || OPENING_CONTEXT.test(prev)) && !/\s/.test(next) && (sure || !CLOSING_NEXT.test(next));
    if (ch === '"' && opens && open > 0 && !sure) opens = false;
    if (ch === '"') {
      open = Math.max(0, open + (opens ? 1 : -1));
      out += opens ? '\u201c' : '\u201d';
    }
    else if (opens && /^\d\ds/.test(s.slice(i + 1, i + 4))) out += '\u2019'; // '90s is an apostrophe
    else out += opens ? '\u2018' : '\u2019';
  }
  return out;
}
