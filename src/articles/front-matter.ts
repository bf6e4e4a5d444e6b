// Front matter: splits the YAML block (or a TOML one between `+++` lines, a JSON object, or pandoc's `%` title
// block) off the top of an article and reads the keys quire knows.
// The body keeps the file's line numbering: the front matter lines are replaced by empty lines.
import type { Diagnostic, Place } from '../diagnostics.js';
import { stripForbidden } from '../xml.js';
import { jsonFrontMatterEnd, parseJsonMapping } from '../json-front-matter.js';
import { parseTomlMapping } from '../toml.js';
import { closest, parseYamlMapping, type YamlMapping } from '../yaml.js';

export interface ArticleMeta {
  title?: string;
  authors: string[];
  source?: string;
  url?: string;
  date?: string;
  lang?: string;
  /** The text's direction when the page said so (`quire add` writes it for right-to-left pages). */
  dir?: 'rtl' | 'ltr';
  order?: number;
  description?: string;
  archived?: string;
}

export interface FrontMatter {
  meta: ArticleMeta;
  /** The Markdown body, with front matter lines blanked so offsets map to the file's lines. */
  body: string;
  diagnostics: Diagnostic[];
  /** False when the front matter is broken: the article must not be built. */
  ok: boolean;
  /** Where the Markdown starts (after the closing `---`), 0 without front matter. */
  bodyStart: number;
}

const KNOWN_KEYS = ['title', 'author', 'authors', 'source', 'url', 'date', 'lang', 'dir', 'order', 'description', 'archived'];

export function splitFrontMatter(text: string, file: string): FrontMatter {
  const meta: ArticleMeta = { authors: [] };
  const diagnostics: Diagnostic[] = [];
  // JSON, an object at the top, as Hugo reads it too.
  const jsonEnd = jsonFrontMatterEnd(text);
  if (jsonEnd === -2) {
    diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'front-matter-unclosed', message: 'JSON front matter opened here is never closed: add the `}` that ends it' });
    return { meta, body: text, diagnostics, ok: false, bodyStart: 0 };
  }
  if (jsonEnd !== -1) return readMeta(text, file, parseJsonMapping(text.slice(0, jsonEnd), file, 1, 'front-matter-json'), jsonEnd, meta, diagnostics);
  // TOML between `+++` lines, as Hugo writes it.
  const toml = /^\+\+\+[ \t]*\n/.exec(text);
  const open = toml ?? /^---[ \t]*\n/.exec(text);
  if (!open) return text.startsWith('%') ? pandocTitleBlock(text, meta, diagnostics) : { meta, body: text, diagnostics, ok: true, bodyStart: 0 };
  const close = toml ? /^\+\+\+[ \t]*$/m : /^(?:---|\.\.\.)[ \t]*$/m;
  const rest = text.slice(open[0].length);
  const m = close.exec(rest);
  if (toml && !m) return { meta, body: text, diagnostics, ok: true, bodyStart: 0 };
  if (!m) {
    // A Markdown file may well start with a `---` rule. It is front matter left open only when YAML follows.
    if (!/^\s*[A-Za-z_][\w-]*[ \t]*:([ \t]|$)/m.test(rest.split('\n\n')[0]!)) return { meta, body: text, diagnostics, ok: true, bodyStart: 0 };
    diagnostics.push({ file, line: 1, column: 1, severity: 'error', code: 'front-matter-unclosed', message: 'front matter opened here is never closed: add a line `---` after it' });
    return { meta, body: text, diagnostics, ok: false, bodyStart: 0 };
  }
  const yamlText = rest.slice(0, m.index);
  const afterClose = open[0].length + m.index + m[0].length;
  const parsed = toml ? parseTomlMapping(yamlText, file, 2, 'front-matter-toml') : parseYamlMapping(yamlText, file, 2, 'front-matter-yaml');
  return readMeta(text, file, parsed, afterClose, meta, diagnostics);
}

/**
 * pandoc's title block: up to three lines at the top of the file starting with `%`, the title, the authors
 * and the date, in that order, each continued on lines that start with a space or a tab; authors are
 * separated by `;` or each on a line of its own; a field may be empty (`%` alone). The body starts after
 * it (and the blank lines after it). GitHub shows these lines as a paragraph; pandoc, whose Markdown they
 * are written for, makes them the document's title, authors and date, and so does quire. A first line that
 * is not `%` followed by a space, a tab or its end (`%d items`) is Markdown.
 */
function pandocTitleBlock(text: string, meta: ArticleMeta, diagnostics: Diagnostic[]): FrontMatter {
  const fields: string[][] = [];
  let at = 0;
  while (fields.length < 3 && /^%(?:[ \t]|\n|$)/.test(text.slice(at, at + 2))) {
    const lines: string[] = [];
    for (let first = true; at < text.length && (first || text[at] === ' ' || text[at] === '\t'); first = false) {
      const end = text.indexOf('\n', at);
      const line = text.slice(at, end === -1 ? text.length : end);
      // A continuation line that is blank ends the block: a blank line does.
      if (!first && !line.trim()) break;
      lines.push((first ? line.slice(1) : line).replace(/\s+/g, ' ').trim());
      at = end === -1 ? text.length : end + 1;
    }
    fields.push(lines);
  }
  if (!fields.length) return { meta, body: text, diagnostics, ok: true, bodyStart: 0 };
  const [title = [], authors = [], date = []] = fields.map((lines) => lines.map((l) => stripForbidden(l)));
  const joined = title.filter(Boolean).join(' ');
  if (joined) meta.title = joined;
  // Each name once (a Set: looking each up in the list was quadratic, 100,000 names took 12 s).
  meta.authors = [...new Set(authors.flatMap((l) => l.split(';')).map((n) => n.trim()).filter(Boolean))];
  const when = date.filter(Boolean).join(' ');
  if (when) meta.date = when;
  return { meta, body: bodyFrom(text, at), diagnostics, ok: true, bodyStart: at };
}

/** The keys quire knows, read from the front matter's entries; the body starts at `afterClose`. */
function readMeta(text: string, file: string, parsed: YamlMapping, afterClose: number, meta: ArticleMeta, diagnostics: Diagnostic[]): FrontMatter {
  const body = bodyFrom(text, afterClose);
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.ok) return { meta, body, diagnostics, ok: false, bodyStart: afterClose };

  const problem = (place: Place, message: string) => diagnostics.push({ file, ...place, severity: 'error', code: 'front-matter-value', message });
  for (const [key, entry] of parsed.entries) {
    const { value, valuePlace } = entry;
    if (value === null || value === undefined) continue;
    switch (key) {
      case 'title':
      case 'source':
      case 'url':
      case 'description':
      case 'date':
      case 'archived': {
        const s = scalarText(value);
        if (s === undefined) problem(valuePlace, `\`${key}\` must be a single line of text`);
        else if (s !== '') meta[key] = s;
        break;
      }
      case 'lang': {
        // Front matter written for other tools may hold `en_US` or `english`: the first is read as `en-US`,
        // the second is left for the book's language (a tag a reading system cannot read makes the book invalid).
        const s = scalarText(value);
        const tag = s?.replace(/_/g, '-');
        if (s === undefined) problem(valuePlace, '`lang` must be a language tag such as `en` or `pt-BR`');
        else if (tag && isLanguageTag(tag)) meta.lang = tag;
        else if (s !== '') {
          diagnostics.push({ file, ...valuePlace, severity: 'warning', code: 'front-matter-lang', message: `\`${s}\` is not a language tag such as \`en\` or \`pt-BR\`; the article is taken to be in the book's language` });
        }
        break;
      }
      case 'dir': {
        const s = scalarText(value)?.toLowerCase();
        if (s === 'rtl' || s === 'ltr') meta.dir = s;
        else if (s !== 'auto' && s !== '') problem(valuePlace, '`dir` must be `rtl` (right to left) or `ltr` (left to right)');
        break;
      }
      case 'author':
      case 'authors': {
        const list = Array.isArray(value) ? value : [value];
        // Each name once, looked up in a Set (in the list, 100,000 names took 19 s).
        const seen = new Set(meta.authors);
        // One problem for the list: `[null, ~]` said the same thing twice at the same place.
        let told = false;
        for (const item of list) {
          const s = scalarText(item);
          if (s === undefined) {
            if (!told) problem(valuePlace, `\`${key}\` must be a name or a list of names`);
            told = true;
          } else if (s !== '' && !seen.has(s)) {
            seen.add(s);
            meta.authors.push(s);
          }
        }
        break;
      }
      case 'order':
        if (typeof value === 'number' && Number.isFinite(value)) meta.order = value;
        else problem(valuePlace, '`order` must be a number');
        break;
      default: {
        // Front matter written for other tools (tags, layout, ...) is ignored; only a likely typo is reported.
        const hint = closest(key, KNOWN_KEYS);
        if (hint) {
          diagnostics.push({ file, ...entry.keyPlace, severity: 'warning', code: 'front-matter-unknown-key', message: `unknown front matter key \`${key}\` is ignored; did you mean \`${hint}\`?` });
        }
      }
    }
  }
  return { meta, body, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error'), bodyStart: afterClose };
}

/** The Markdown body: the text with everything before `bodyStart` blanked, keeping its line breaks. */
export function bodyFrom(text: string, bodyStart: number): string {
  return text.slice(0, bodyStart).replace(/[^\n]/g, '') + text.slice(bodyStart);
}

/** Text of a scalar value: strings as they are, numbers, booleans and dates written out; undefined for structures. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return stripForbidden(value).replace(/\s+/g, ' ').trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().replace(/T00:00:00\.000Z$/, '');
  return undefined;
}

/** A well-formed BCP 47 tag (the structure only; the registry is not consulted). */
export function isLanguageTag(tag: string): boolean {
  // The primary subtag is an ISO 639 code: 2 or 3 letters (longer ones are reserved and readers reject them).
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
