// Configuration: articles/book.yaml + command-line flags -> a validated BookConfig.
// Unknown keys are errors that name the key; flags win over the file.
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic, Place } from './diagnostics.js';
import { isLanguageTag, scalarText } from './articles/front-matter.js';
import { decodeText } from './articles/decode.js';
import { closest, parseYamlMapping, type YamlEntry } from './yaml.js';
import { NOTES_PLACEMENTS, type NotesPlacement } from './model.js';
import { readRegularFile } from './read.js';

export interface BookConfig {
  title?: string;
  authors: string[];
  lang: string;
  publisher?: string;
  description?: string;
  /** W3C date (YYYY, YYYY-MM, YYYY-MM-DD or a full timestamp). */
  date?: string;
  identifier?: string;
  /** Absolute path of a cover image. */
  cover?: string;
  /** Absolute path of a style sheet added after quire's own. */
  css?: string;
  /** File names, relative to the articles folder, in reading order. */
  order: string[];
  /** Where each `order` entry stands in book.yaml, for diagnostics. */
  orderPlaces: Place[];
  tocDepth: number;
  /** `$…$` and `$$…$$` are TeX math, rendered to MathML. */
  math: boolean;
  /** Fenced code with a language is highlighted. */
  highlight: boolean;
  /**
   * The articles in subfolders are chapters too (true), or not (false); undefined: not, and a subfolder that
   * holds Markdown is warned of (articles-in-subfolders).
   */
  recursive?: boolean;
  notes: NotesPlacement;
  /** The book.yaml file, when there is one. */
  file?: string;
  /** Feed URLs that `quire add --feeds` and `quire digest` read. */
  feeds: string[];
}

/** Values given on the command line; paths are relative to `cwd`. */
export type ConfigOverrides = Partial<Pick<BookConfig, 'title' | 'authors' | 'lang' | 'publisher' | 'description' | 'date' | 'identifier' | 'cover' | 'css' | 'tocDepth' | 'math' | 'highlight' | 'recursive' | 'notes'>>;

export const CONFIG_FILE = 'book.yaml';
/** Largest book.yaml quire reads. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const KEYS = ['title', 'author', 'authors', 'lang', 'language', 'publisher', 'description', 'date', 'identifier', 'cover', 'css', 'order', 'toc-depth', 'math', 'highlight', 'recursive', 'notes', 'feeds'];
export const DEFAULT_TOC_DEPTH = 2;
export const MAX_TOC_DEPTH = 6;

export function loadConfig(articlesDir: string, overrides: ConfigOverrides, cwd: string): { config: BookConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const config: BookConfig = { authors: [], lang: 'en', order: [], orderPlaces: [], tocDepth: DEFAULT_TOC_DEPTH, math: true, highlight: true, notes: 'footnotes', feeds: [] };
  const file = path.join(articlesDir, CONFIG_FILE);
  let bytes: Buffer | undefined;
  const read = readRegularFile(file, MAX_CONFIG_BYTES);
  if (read.ok) bytes = read.bytes;
  else if (read.code !== 'ENOENT') diagnostics.push({ file, severity: 'error', code: 'config-unreadable', message: `cannot read: ${read.reason}` });
  if (bytes !== undefined) {
    config.file = file;
    const decoded = decodeText(bytes, file);
    diagnostics.push(...decoded.diagnostics);
    if (decoded.text !== undefined) readConfigFile(decoded.text, file, articlesDir, config, diagnostics);
  }
  const flag = (message: string) => diagnostics.push({ severity: 'error', code: 'usage', message });
  if (overrides.title !== undefined) config.title = overrides.title.trim() || undefined;
  if (overrides.authors !== undefined && overrides.authors.length > 0) config.authors = overrides.authors.map((a) => a.trim()).filter(Boolean);
  if (overrides.lang !== undefined) {
    if (isLanguageTag(overrides.lang)) config.lang = overrides.lang;
    else flag(`the language \`${overrides.lang}\` is not a language tag such as \`en\` or \`pt-BR\``);
  }
  if (overrides.publisher !== undefined) config.publisher = overrides.publisher.trim() || undefined;
  if (overrides.description !== undefined) config.description = overrides.description.trim() || undefined;
  if (overrides.identifier !== undefined) config.identifier = overrides.identifier.trim() || undefined;
  if (overrides.date !== undefined) {
    if (isW3cDate(overrides.date.trim())) config.date = overrides.date.trim();
    else flag(`the date \`${overrides.date}\` is not a date; write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ`);
  }
  if (overrides.cover !== undefined) config.cover = path.resolve(cwd, overrides.cover);
  if (overrides.css !== undefined) config.css = path.resolve(cwd, overrides.css);
  if (overrides.tocDepth !== undefined) config.tocDepth = overrides.tocDepth;
  if (overrides.math !== undefined) config.math = overrides.math;
  if (overrides.highlight !== undefined) config.highlight = overrides.highlight;
  if (overrides.recursive !== undefined) config.recursive = overrides.recursive;
  if (overrides.notes !== undefined) {
    if (NOTES_PLACEMENTS.includes(overrides.notes)) config.notes = overrides.notes;
    else flag(`the notes placement \`${overrides.notes}\` is not one of ${NOTES_PLACEMENTS.join(', ')}`);
  }
  return { config, diagnostics };
}

function readConfigFile(text: string, file: string, articlesDir: string, config: BookConfig, diagnostics: Diagnostic[]): void {
  const parsed = parseYamlMapping(text, file, 1, 'config-yaml');
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.ok) return;
  const problem = (place: Place, message: string) => diagnostics.push({ file, ...place, severity: 'error', code: 'config-value', message });
  const text1 = (key: string, entry: YamlEntry): string | undefined => {
    const s = scalarText(entry.value);
    if (s === undefined) problem(entry.valuePlace, `\`${key}\` must be a single line of text`);
    return s || undefined;
  };
  if (parsed.entries.has('author') && parsed.entries.has('authors')) {
    problem(parsed.entries.get('authors')!.keyPlace, 'give either `author` or `authors`, not both');
  }
  if (parsed.entries.has('lang') && parsed.entries.has('language')) {
    problem(parsed.entries.get('language')!.keyPlace, 'give either `lang` or `language`, not both');
  }
  for (const [key, entry] of parsed.entries) {
    const { value, valuePlace } = entry;
    if (!KEYS.includes(key)) {
      const hint = closest(key, KEYS);
      diagnostics.push({
        file,
        ...entry.keyPlace,
        severity: 'error',
        code: 'config-unknown-key',
        message: `unknown key \`${key}\` in ${CONFIG_FILE}${hint ? `; did you mean \`${hint}\`?` : ''} (known keys: ${KEYS.join(', ')})`,
      });
      continue;
    }
    if (value === null || value === undefined) continue;
    switch (key) {
      case 'title':
      case 'publisher':
      case 'description':
      case 'identifier':
        config[key] = text1(key, entry);
        break;
      case 'lang':
      case 'language': {
        const s = text1(key, entry);
        if (s !== undefined && !isLanguageTag(s)) problem(valuePlace, `\`${s}\` is not a language tag such as \`en\` or \`pt-BR\``);
        else if (s !== undefined) config.lang = s;
        break;
      }
      case 'date': {
        const s = text1(key, entry);
        if (s !== undefined && !isW3cDate(s)) problem(valuePlace, `\`${s}\` is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ`);
        else config.date = s;
        break;
      }
      case 'author':
      case 'authors': {
        const list = Array.isArray(value) ? value : [value];
        config.authors = [];
        for (const item of list) {
          const s = scalarText(item);
          if (s === undefined) problem(valuePlace, `\`${key}\` must be a name or a list of names`);
          else if (s) config.authors.push(s);
        }
        break;
      }
      case 'cover':
      case 'css': {
        const s = text1(key, entry);
        if (s === undefined) break;
        // book.yaml comes with the folder, from anyone: it may name only files inside the folder (the
        // command line's --css and --cover may point anywhere).
        const resolved = path.resolve(articlesDir, s);
        const outside = leadsOut(articlesDir, resolved);
        if (outside) problem(valuePlace, `\`${key}\` must name a file inside the articles folder (${outside}); give a file elsewhere with --${key} on the command line`);
        else config[key] = resolved;
        break;
      }
      case 'order': {
        const list = Array.isArray(value) ? value : undefined;
        if (!list) {
          problem(valuePlace, '`order` must be a list of article file names');
          break;
        }
        list.forEach((item, i) => {
          const s = scalarText(item);
          const place = entry.itemPlaces?.[i] ?? valuePlace;
          if (s === undefined || s === '') problem(place, '`order` entries must be file names');
          else {
            config.order.push(s.replace(/\\/g, '/').replace(/^\.\//, ''));
            config.orderPlaces.push(place);
          }
        });
        break;
      }
      case 'feeds': {
        const list = Array.isArray(value) ? value : undefined;
        if (!list) {
          problem(valuePlace, '`feeds` must be a list of feed URLs');
          break;
        }
        list.forEach((item, i) => {
          const s = scalarText(item);
          const place = entry.itemPlaces?.[i] ?? valuePlace;
          if (s === undefined || !/^https?:\/\/\S+$/i.test(s)) problem(place, '`feeds` entries must be http:// or https:// URLs');
          else config.feeds.push(s);
        });
        break;
      }
      case 'toc-depth':
        if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TOC_DEPTH) config.tocDepth = value;
        else problem(valuePlace, `\`toc-depth\` must be a whole number from 1 to ${MAX_TOC_DEPTH}`);
        break;
      case 'math':
      case 'highlight':
      case 'recursive':
        if (typeof value === 'boolean') config[key] = value;
        else problem(valuePlace, `\`${key}\` must be true or false`);
        break;
      case 'notes':
        if (typeof value === 'string' && (NOTES_PLACEMENTS as readonly string[]).includes(value)) config.notes = value as NotesPlacement;
        else problem(valuePlace, `\`notes\` must be one of ${NOTES_PLACEMENTS.join(', ')}`);
        break;
    }
  }
}

/** Why `file` is not inside `root` (after following symbolic links), or undefined when it is. */
function leadsOut(root: string, file: string): string | undefined {
  if (!isInside(root, file)) return 'the path leads out of it';
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return undefined; // missing: reported when it is read
  }
  let rootReal: string;
  try {
    rootReal = fs.realpathSync(root);
  } catch {
    return undefined;
  }
  return isInside(rootReal, real) ? undefined : 'it is a link that leads out of it';
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

export function isW3cDate(s: string): boolean {
  return /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?)?)?$/.test(s);
}

const RTL_LANGUAGES = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku-arab', 'pa-arab', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** Whether a language is written right to left (by its primary subtag or an Arabic/Hebrew script subtag). */
export function isRightToLeft(lang: string): boolean {
  const lower = lang.toLowerCase();
  const primary = lower.split('-')[0]!;
  if (/-(arab|hebr|syrc|thaa|nkoo|adlm|rohg)(-|$)/.test(lower)) return true;
  if (/-(latn|cyrl)(-|$)/.test(lower)) return false;
  return RTL_LANGUAGES.has(primary) || RTL_LANGUAGES.has(lower);
}
