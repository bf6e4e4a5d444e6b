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
export function smarten(text: string, before: string, quotes: Quotes = ENGLISH): string {
  if (!/["'.-]/.test(text)) return text;
  if (!MAY_HOLD_LITERAL.test(text)) return smartenRun(text, before, quotes);
  // Web addresses, e-mail addresses and command-line options are kept as written: a `...` or `--` or `'` in
  // them is part of the address (GitHub's compare/v1.0...v2.0, Ender's_Game, first--last@) or the option
  // (`--prefix`), and one made typographic no longer works when copied.
  let out = '';
  let last = 0;
  LITERAL_RUNS.lastIndex = 0;
  for (let m = LITERAL_RUNS.exec(text); m; m = LITERAL_RUNS.exec(text)) {
    if (m.index > last) out += smartenRun(text.slice(last, m.index), last === 0 ? before : text[last - 1]!, quotes);
    out += m[0];
    last = m.index + m[0].length;
  }
  return last === 0 ? smartenRun(text, before, quotes) : out + (last < text.length ? smartenRun(text.slice(last), text[last - 1]!, quotes) : '');
}

/** Elements whose text is never smartened: code, and what is shown as written. */
export const UNSMARTENED = new Set(['pre', 'code', 'kbd', 'samp', 'var', 'tt', 'script', 'style']);

/** A language's quotation marks: double opening and closing, single opening and closing (an apostrophe is ’ in every one). */
export interface Quotes {
  open: string;
  close: string;
  openSingle: string;
  closeSingle: string;
}
const ENGLISH: Quotes = { open: '\u201c', close: '\u201d', openSingle: '\u2018', closeSingle: '\u2019' };
const LOW_HIGH: Quotes = { open: '\u201e', close: '\u201c', openSingle: '\u201a', closeSingle: '\u2018' };
const LOW_RIGHT: Quotes = { open: '\u201e', close: '\u201d', openSingle: '\u201a', closeSingle: '\u2019' };
const GUILLEMETS: Quotes = { open: '\u00ab', close: '\u00bb', openSingle: '\u201c', closeSingle: '\u201d' };
/** French: guillemets with a narrow no-break space inside, single ones for a quote in a quote. */
const FRENCH: Quotes = { open: '\u00ab\u202f', close: '\u202f\u00bb', openSingle: '\u2039\u202f', closeSingle: '\u202f\u203a' };
const SWISS: Quotes = { open: '\u00ab', close: '\u00bb', openSingle: '\u2039', closeSingle: '\u203a' };
const NORDIC: Quotes = { open: '\u201d', close: '\u201d', openSingle: '\u2019', closeSingle: '\u2019' };
const DANISH: Quotes = { open: '\u00bb', close: '\u00ab', openSingle: '\u203a', closeSingle: '\u2039' };
const QUOTES: Record<string, Quotes> = {
  de: LOW_HIGH, cs: LOW_HIGH, sk: LOW_HIGH, sl: LOW_HIGH, lt: LOW_HIGH, is: LOW_HIGH, et: LOW_HIGH, lb: LOW_HIGH,
  pl: LOW_RIGHT, hu: LOW_RIGHT, ro: LOW_RIGHT, hr: LOW_RIGHT, bg: LOW_HIGH,
  fr: FRENCH,
  es: GUILLEMETS, it: GUILLEMETS, ca: GUILLEMETS, ru: GUILLEMETS, uk: GUILLEMETS, be: GUILLEMETS, el: GUILLEMETS, pt: GUILLEMETS, eu: GUILLEMETS, gl: GUILLEMETS, no: GUILLEMETS, nb: GUILLEMETS, nn: GUILLEMETS,
  sv: NORDIC, fi: NORDIC,
  da: DANISH,
};

/**
 * The quotation marks of a language (a BCP 47 tag): German's „…“, French's « … », Swedish's ”…”; English's
 * “…” for English and for the languages without their own here (Dutch, Chinese…). Brazilian Portuguese
 * and Swiss German and French differ from the language's. A German article's "Hallo" became “Hallo”.
 */
export function quotesFor(lang: string | undefined): Quotes {
  if (!lang) return ENGLISH;
  const tag = lang.toLowerCase();
  if (tag === 'pt-br') return ENGLISH;
  if (tag === 'de-ch' || tag === 'fr-ch' || tag === 'it-ch') return SWISS;
  return QUOTES[tag.split(/[-_]/)[0]!] ?? ENGLISH;
}

/**
 * A cheap test for what LITERAL_RUNS finds (a quoted argument ends in its quote before `,`, `)` or `]`: a
 * test of any call's bracket ran the whole expression on most sentences of technical prose).
 */
const MAY_HOLD_LITERAL = /:\/\/|www\.|@|--[A-Za-z0-9]|\w\.\.\.\w|\.\.\.[a-z_$]|['"][,)\]]|\{[{%]/i;
/**
 * A web address (with a scheme, or starting `www.`), an e-mail address, a user's handle (`@Rob--W`), an
 * option (`--name`, `--3way`, after a space, an opening bracket or a quote: `"--force"`, or after the short
 * option it is the long form of: `-r/--require`, `-c|--check`, `-h,--help`, or as an option's value:
 * `--option=--value`), a range written
 * with three dots and no space (`v1.2.3...v1.3.0`, GitHub's compare links' text; `for...of`), a rest
 * parameter in a function's parentheses (`limit(fn, ...args)`, `.reset(...keys)`: a signature), a quoted
 * argument of a call or key of an index (`require('sys')`, `emit('log', x)`, `argv['--']`; after other
 * arguments with no bracket in them), or a site
 * generator's tag shown as written (`{{< param "version" >}}`, `{% include "note.html" %}`,
 * `{{ site.title }}`: Hugo's, Liquid's, Handlebars'), up to 500 characters on one line.

 * An e-mail address and a range start where their run of characters starts (`(?<!…)`): tried at each
 * character of a long word, they read the rest of it each time, quadratic in its length.
 */
const LITERAL_RUNS = /\{\{[<%](?:[^%>\n]|[%>](?!\}\})){0,500}[%>]\}\}|\{%(?:[^%\n]|%(?!\})){0,500}%\}|\{\{[^{}\n]{0,500}\}\}|\b[a-z][a-z0-9+.-]*:\/\/[^\s<>"]*|\bwww\.[^\s<>"]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w.])@[A-Za-z0-9][\w-]*|(?:(?<![^\s(\[{/|,=])|(?<=(?:^|[\s(\[{])["'\u201c\u2018]))--[A-Za-z0-9][\w-]*|(?<![\w-])[\w-]*\w\.\.\.\w[\w.-]*|\.\.\.(?<=[\w$]\((?:[^()\n]{0,200},\s?)?\.\.\.)[a-z_$][\w$]*(?=(?:\[\])?[),])|'[^'\n]{0,200}'(?<=[\w$][(\[](?:(?:[^()[\]'"\n]|'[^'\n]{0,200}'|"[^"\n]{0,200}"){0,200},\s?)?'[^'\n]{0,200}')(?=[,)\]])|"[^"\n]{0,200}"(?<=[\w$][(\[](?:(?:[^()[\]'"\n]|'[^'\n]{0,200}'|"[^"\n]{0,200}"){0,200},\s?)?"[^"\n]{0,200}")(?=[,)\]])/gi;

/**
 * Runs of hyphens: `--` is an en dash and `---` an em dash; a longer run, or one that is an arrow's shaft
 * (`-->`, `<--`, `---->`), is kept as written, as markdown-it's typographer keeps it (a changelog's
 * `require('posix') -----------------> require('fs')` became a row of em dashes and an en dash before `>`).
 */
const DASHES = /<?-{2,}>?/g;

/**
 * Whether the hyphens at `at` have no letter, digit or space on either side: `'--'`, `"--"`, `argv['--']`
 * name the hyphens themselves (minimist's CHANGELOG.md:260 "Improve '--' handling" became ‘–’); a dash
 * stands between words or beside a space. Text that ends at the hyphens, before inline markup, may go on
 * with a word, so it counts as a dash.
 */
function standsAlone(text: string, at: number, length: number, before: string): boolean {
  const prev = at > 0 ? text[at - 1]! : before;
  const next = text[at + length] ?? '';
  return prev !== '' && next !== '' && !/[\p{L}\p{N}\s]/u.test(prev) && !/[\p{L}\p{N}\s]/u.test(next);
}

function smartenRun(text: string, before: string, quotes: Quotes): string {
  if (!/["'.-]/.test(text)) return text;
  let s = text
    .replace(DASHES, (run, at: number) => (standsAlone(text, at, run.length, before) ? run : run === '---' ? '\u2014' : run === '--' ? '\u2013' : run))
    .replace(/\.\.\./g, '\u2026');
  if (!/["']/.test(s)) return s;
  let out = '';
  // Double quotes opened and not yet closed in this text: inside one, a `"` after a `/` or a dash closes it
  // (`"/"`, `"../"`).
  let open = 0;
  // Single quotes opened and not yet closed: the next `'` not followed by a letter closes one.
  let singles = 0;
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
    // A single quote after a `/` or dash inside single ones closes too, as a double one does: `at '/'.` was ‘/‘.
    if (ch === "'" && opens && singles > 0 && !sure) opens = false;
    // A quoted text that ends in a space is closed after it, before punctuation or the text's end:
    // `beginning with "at ").`, `joined with '; '.` (a closing mark after a space opened another).
    if (opens && /\s/.test(prev) && (ch === '"' ? open > 0 : singles > 0) && (next === '' || next === '.' || CLOSING_NEXT.test(next))) opens = false;
    // Right after a comma and before a letter or digit, a quote opens a list's next item: `"Debug","Release"`,
    // `(e.g.,'1')` (after a comma with a space or nothing after it, it closes: `"Hello," she said`).
    if (prev === ',' && /[\p{L}\p{N}]/u.test(next)) opens = ch === "'" ? singles === 0 : open === 0;
    if (ch === '"') {
      open = Math.max(0, open + (opens ? 1 : -1));
      out += opens ? quotes.open : quotes.close;
    }
    else if (opens && /^\d\ds/.test(s.slice(i + 1, i + 4))) out += '\u2019'; // '90s is an apostrophe
    else if (opens) {
      singles++;
      out += quotes.openSingle;
    }
    // A closing single quote where one was opened; an apostrophe otherwise (`it's`, `the '90s`).
    else if (singles > 0 && !/\p{L}/u.test(next)) {
      singles--;
      out += quotes.closeSingle;
    } else out += '\u2019';
  }
  return out;
}
