// Stage: load. mdBook's includes, `{{#include file.rs}}` (also `:anchor`, `:3`, `:3:10`, `:3:`, `::10`, and
// `{{#rustdoc_include …}}`): the text of another file, most often the code of a listing, written into a code
// block. mdBook writes the file's text in the directive's place; quire showed the directive, and the listing
// was missing. The files are read here, with the article (the renderer reads no file: see render/markdown.ts,
// which puts their text in place); what each directive stands for is part of the article, and so of its
// chapter's key in the cache.
// Only files inside the articles folder are read, or inside the folder above it when that folder is an
// mdBook book's (it holds `book.toml`, and the articles are its `src`): an article cannot make quire copy
// other files of the machine into a book.
import fs from 'node:fs';
import path from 'node:path';
import { placeOf, type Diagnostic } from '../diagnostics.js';
import { readRegularFile } from '../read.js';

/** A directive: `{{#include path}}` or `{{#rustdoc_include path}}`, not escaped with a backslash. */
export const INCLUDE = /(?<!\\)\{\{#(include|rustdoc_include)[ \t]+([^}\n]*?)[ \t]*\}\}/g;

/** The largest file an include reads. */
const MAX_INCLUDE_BYTES = 1024 * 1024;
/** The most text an article's includes add, all together. */
const MAX_INCLUDED_CHARS = 4 * 1024 * 1024;

/** The folders an article's includes may read from: the articles folder, and the mdBook book's around it. */
export function includeRoots(articlesDir: string): string[] {
  const roots: string[] = [];
  for (const dir of [articlesDir, path.dirname(path.resolve(articlesDir))]) {
    if (dir !== articlesDir && !fs.existsSync(path.join(dir, 'book.toml'))) continue;
    try {
      roots.push(fs.realpathSync(dir));
    } catch {
      // A folder that cannot be resolved gives nothing to read.
    }
  }
  return roots;
}

/**
 * What each include directive of `body` stands for, by the directive's text (undefined when the body has
 * none), the files read (for watch mode), and a warning for each that cannot be read (the directive then
 * stays as written).
 */
export function readIncludes(body: string, file: string, roots: readonly string[]): { includes?: Record<string, string>; files: string[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  if (!body.includes('{{#')) return { files, diagnostics };
  const includes: Record<string, string> = {};
  let total = 0;
  INCLUDE.lastIndex = 0;
  for (let m = INCLUDE.exec(body); m; m = INCLUDE.exec(body)) {
    const directive = m[0];
    if (Object.hasOwn(includes, directive)) continue;
    const warn = (why: string) => diagnostics.push({ file, ...placeOf(body, m!.index), severity: 'warning', code: 'include-unreadable', message: `\`${directive}\` is shown as written: ${why}` });
    const { target, selector } = splitTarget(m[2]!);
    if (!target) {
      warn('it names no file');
      continue;
    }
    const wanted = path.resolve(path.dirname(file), target);
    let real: string;
    try {
      real = fs.realpathSync(wanted);
    } catch {
      warn(`${target} is not found`);
      continue;
    }
    if (!roots.some((root) => real === root || real.startsWith(root + path.sep))) {
      warn(`${target} is outside the articles folder${roots.length > 1 ? ' and its mdBook book' : ''}, and is not read`);
      continue;
    }
    const read = readRegularFile(real, MAX_INCLUDE_BYTES);
    if (!read.ok) {
      warn(`${target} cannot be read (${read.reason})`);
      continue;
    }
    const text = select(read.bytes.toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), selector);
    if (text === undefined) {
      warn(`${target} has no anchor \`${selector}\``);
      continue;
    }
    if ((total += text.length) > MAX_INCLUDED_CHARS) {
      warn(`the article's includes add more than ${MAX_INCLUDED_CHARS / 1024 / 1024} MB of text`);
      break;
    }
    includes[directive] = text;
    files.push(real);
  }
  return { includes: Object.keys(includes).length ? includes : undefined, files, diagnostics };
}

/** The file and what of it (`anchor`, `3`, `3:10`, `3:`, `:10`): mdBook splits at the first colon after the path. */
function splitTarget(spec: string): { target: string; selector: string } {
  // The path ends at the first colon not part of a Windows drive letter; the path may hold no spaces after
  // it (`{{#playground file.rs editable}}` has attributes, an include none).
  const m = /^([^:]*)(?::(.*))?$/.exec(spec.trim())!;
  return { target: m[1]!.trim(), selector: (m[2] ?? '').trim() };
}

const ANCHOR = /\bANCHOR(_END)?:\s*([\w-]+)/;

/** The lines of `text` that `selector` names, without any anchor lines; undefined for an anchor not found. */
function select(text: string, selector: string): string | undefined {
  const lines = text.replace(/\n$/, '').split('\n');
  const withoutAnchors = (ls: string[]) => ls.filter((l) => !ANCHOR.test(l)).join('\n');
  if (!selector) return withoutAnchors(lines);
  const range = /^(\d*)(?::(\d*))?$/.exec(selector);
  if (range) {
    const start = range[1] ? Math.max(1, Number(range[1])) : 1;
    // `3` alone is line 3; `3:` is from line 3 on; `:10` and `3:10` end at line 10.
    const end = range[2] === undefined ? (range[1] ? start : lines.length) : range[2] ? Number(range[2]) : lines.length;
    return withoutAnchors(lines.slice(start - 1, end));
  }
  const from = lines.findIndex((l) => {
    const a = ANCHOR.exec(l);
    return a !== null && !a[1] && a[2] === selector;
  });
  if (from === -1) return undefined;
  let to = lines.findIndex((l, i) => {
    const a = ANCHOR.exec(l);
    return i > from && a !== null && a[1] !== undefined && a[2] === selector;
  });
  if (to === -1) to = lines.length;
  return withoutAnchors(lines.slice(from + 1, to));
}
