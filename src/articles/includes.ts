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
import { codeSpans, fencedLines } from './markdown-code.js';
import type { MkDocsProject } from './mkdocs.js';

/**
 * A directive: `{{#include path}}` or `{{#rustdoc_include path}}`, not escaped with a backslash. What it names
 * starts after the spaces (the lookahead keeps them from being tried again one by one) and ends on the last
 * character that is not a space, within 4,096 characters: a lazy name followed by `[ \t]*\}\}` looked through
 * a run of spaces again at each of its characters (80 KB of them: 11 s).
 */
export const INCLUDE = /(?<!\\)\{\{#(include|rustdoc_include)[ \t]+(?=[^ \t])((?:[^}\n]{0,4095}[^} \t\n])?)[ \t]*\}\}/g;

/**
 * mdBook's runnable file, `{{#playground file.rs}}` (`{{#playpen …}}` in older books), with the code block's
 * attributes after the file (`editable`): the file's code as a Rust block, on a paragraph of its own.
 */
export const PLAYGROUND = /(?<!\\)\{\{#(?:playground|playpen)[ \t]+(?=[^ \t])((?:[^}\n]{0,4095}[^} \t\n])?)[ \t]*\}\}/g;

/** How deep parts may include parts (mdBook's limit too): a part that includes itself stops there. */
const MAX_INCLUDE_DEPTH = 10;
/** The most parts an article's parts include, all together. */
const MAX_NESTED_INCLUDES = 1000;
/** The largest file an include reads. */
const MAX_INCLUDE_BYTES = 1024 * 1024;
/** The most text an article's includes add, all together. */
const MAX_INCLUDED_CHARS = 4 * 1024 * 1024;

/**
 * VitePress's code snippet, a line of its own: `<<< @/snippets/app.js#region{1,2 ts} [title]`, the file (`@/`
 * is the articles folder, else relative to the article), a region, line highlights and a language, and a
 * title. It stands for a code block of the file's text (of the region's lines, less their common indentation).
 * Not a conflict's marker left by git (`<<<<<<< HEAD`). What it names is up to 500 characters and ends on
 * the last that is not a space: a lazy name before `[ \t]*$` looked through the line's trailing spaces again
 * at each of its characters (80 KB of spaces: 15 s).
 */
const SNIPPET = /^<<<[ \t]*([^\s<](?:[^\n]{0,498}[^ \t\n])?)[ \t]*$/;
/**
 * VitePress's Markdown include, `<!--@include: ./parts/basics.md#region{3,10}-->`, the file's Markdown in its
 * place: on a line of its own (in an HTML block too), or in a line's text. What it names is looked through
 * up to 500 characters: a line of includes left open is not looked through again from each.
 */
const MARKDOWN_INCLUDE = /<!--[ \t]*@include:[ \t]*([^\n]{0,500}?)[ \t]*-->/g;
/** The two as the renderer finds them at the start of a block: the snippet's spec, or the include's comment (its key). */
export const VITEPRESS_DIRECTIVE = /^ {0,3}(?:<<<[ \t]*([^\s<](?:[^\n]{0,498}[^ \t\n])?)|(<!--[ \t]*@include:[ \t]*[^\n]{0,500}?[ \t]*-->))[ \t]*(?:\n|$)/;

/** The key a snippet's line has among an article's includes (render/markdown.ts looks it up the same way). */
export const snippetKey = (spec: string) => `<<< ${spec}`;

/**
 * MkDocs's snippets (pymdownx.snippets): a line `--8<-- "file.md"` (the marker's dashes of any number, the
 * file in single or double quotes) stands for the file's text, anywhere, in fenced code too, as the
 * extension reads it before the Markdown; `"file.md:3:8"` is lines 3 to 8 (`:3` from line 3, `::8` up to
 * 8), `"file.md:name"` the lines between `--8<-- [start:name]` and `--8<-- [end:name]`. `;--8<-- …` is the
 * line as written, less one `;`. The groups: the indentation, the `;`s, the directive.
 */
export const MKDOCS_SNIPPET = /^([ \t]*)(;*)(-{1,20}8<-{1,20}[ \t]+(?:"[^"\n]{1,500}"|'[^'\n]{1,500}'))[ \t]*$/;
/** The same over lines (render/markdown.ts puts the snippets in code in place with it). */
export const MKDOCS_SNIPPET_LINES = new RegExp(MKDOCS_SNIPPET.source, 'gm');
/** The line that opens and closes the block form of snippets. */
const BLOCK_MARK = /^[ \t]*-{1,20}8<-{1,20}[ \t]*$/;
/** A section's marker line in a snippet's file: whether it ends the section, then its name (as markedPart reads them). */
const SECTION = /-{1,20}8<-{1,20}[ \t]*\[(?:start|(end)):([\w-]+)\]/;

/**
 * What each include directive of `body` stands for, by the directive's text (undefined when the body has
 * none), the files read (for watch mode), and a warning for each that cannot be read (the directive then
 * stays as written): mdBook's includes anywhere (in code blocks too, as mdBook writes them), VitePress's
 * snippets and Markdown includes on lines of their own outside fenced code (VitePress's own documentation
 * shows them in code).
 */
export function readIncludes(body: string, file: string, roots: readonly string[], mkdocs?: MkDocsProject): { includes?: Record<string, string>; files: string[]; diagnostics: Diagnostic[]; partials?: string[] } {
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const mdBook = body.includes('{{#');
  const vitePress = body.includes('<<<') || body.includes('@include:');
  const mdx = body.includes('import ') && (/\.mdx?['"]/.test(body) || body.includes('raw-loader!') || body.includes('?raw'));
  const quarto = body.includes('{{<') && /\{\{<[ \t]*include[ \t]/.test(body);
  const snippets = mkdocs !== undefined && body.includes('8<-');
  if (!mdBook && !vitePress && !mdx && !snippets && !quarto) return { files, diagnostics };
  /** The MDX partials the article imports and uses: their files. */
  const partials: string[] = [];
  const includes: Record<string, string> = {};
  // Each directive is read once, and one that cannot be read is warned of once, however often it is written.
  const tried = new Set<string>();
  const readAlready = new Map<string, string>();
  let total = 0;
  const warned = new Set<string>();
  const warn = (directive: string, index: number, why: string): undefined => {
    // A part included many times over warns of a directive of its own once for each of the article's.
    const key = `${index}\n${directive}\n${why}`;
    if (warned.has(key)) return;
    warned.add(key);
    diagnostics.push({ file, ...placeOf(body, index), severity: 'warning', code: 'include-unreadable', message: `\`${directive}\` is shown as written: ${why}` });
  };
  /** Read `target` for `directive` at `index`, relative to `from`; its text, or undefined after a warning. */
  const read = (directive: string, index: number, target: string, from: string): string | undefined => {
    const fail = (why: string) => warn(directive, index, why);
    if (!target) return fail('it names no file');
    const wanted = path.resolve(from, target);
    // A part included again (by parts that include it) is read once.
    const known = readAlready.get(wanted);
    if (known !== undefined) return known;
    let real: string;
    try {
      real = fs.realpathSync(wanted);
    } catch {
      return fail(`${target} is not found`);
    }
    if (!roots.some((root) => real === root || real.startsWith(root + path.sep))) return fail(`${target} is outside the articles folder${roots.length > 1 ? ' and the book or project around it' : ''}, and is not read`);
    const bytes = readRegularFile(real, MAX_INCLUDE_BYTES);
    if (!bytes.ok) return fail(`${target} cannot be read (${bytes.reason})`);
    files.push(real);
    const text = bytes.bytes.toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    readAlready.set(wanted, text);
    return text;
  };
  /** Whether `text` still fits in what an article's includes may add (a warning when not). */
  const fits = (directive: string, index: number, text: string) => {
    if ((total += text.length) <= MAX_INCLUDED_CHARS) return true;
    warn(directive, index, `the article's includes add more than ${MAX_INCLUDED_CHARS / 1024 / 1024} MB of text`);
    return false;
  };
  const here = path.dirname(file);
  if (mdBook) {
    INCLUDE.lastIndex = 0;
    for (let m = INCLUDE.exec(body); m; m = INCLUDE.exec(body)) {
      const directive = m[0];
      if (tried.has(directive)) continue;
      tried.add(directive);
      const { target, selector } = splitTarget(m[2]!);
      const text = read(directive, m.index, target, here);
      if (text === undefined) continue;
      const selected = select(text, selector);
      if (selected === undefined) warn(directive, m.index, `${target} has no anchor \`${selector}\``);
      else if (fits(directive, m.index, selected)) includes[directive] = selected;
      else break;
    }
    PLAYGROUND.lastIndex = 0;
    for (let m = PLAYGROUND.exec(body); m; m = PLAYGROUND.exec(body)) {
      const directive = m[0];
      if (tried.has(directive)) continue;
      tried.add(directive);
      const [target = '', ...attributes] = m[1]!.split(/[ \t]+/);
      const text = read(directive, m.index, target, here);
      if (text === undefined) continue;
      // A fence longer than any run of backticks in the code.
      let longest = 2;
      for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
      const fence = '`'.repeat(longest + 1);
      const block = `${fence}${['rust', ...attributes].join(',')}\n${text.replace(/\n$/, '')}\n${fence}`;
      if (fits(directive, m.index, block)) includes[directive] = block;
      else break;
    }
  }
  if (vitePress) {
    // Each directive of a line outside fenced code: a snippet is the whole line, Markdown includes are
    // anywhere in it but in a code span.
    const directives = function* (body: string) {
      for (const { line, at } of linesOutsideCode(body)) {
        const bare = line.replace(/^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?/, '');
        const snippet = SNIPPET.exec(bare);
        if (snippet) yield { snippet: true, directive: snippetKey(snippet[1]!), spec: snippet[1]!, index: at + line.length - bare.length };
        else if (line.includes('@include:')) {
          const inCodeSpan = codeSpans(line);
          // matchAll keeps its own place: a part's includes are looked through while this line's are.
          for (const m of line.matchAll(MARKDOWN_INCLUDE)) {
            if (!inCodeSpan(m.index)) yield { snippet: false, directive: m[0], spec: m[1]!, index: at + m.index };
          }
        }
      }
    };
    /**
     * What a snippet or a Markdown include written in `dir` stands for, or undefined after a warning (at
     * `index`, the article's own directive, which `via` names when this one is in a part it includes). A
     * part's own Markdown includes are put in its text, relative to the part, as VitePress does, up to
     * MAX_INCLUDE_DEPTH parts deep.
     */
    const nestedBudget = { count: 0, chars: 0, warned: false };
    const valueOf = (snippet: boolean, directive: string, spec: string, index: number, dir: string, depth: number, via?: string): string | undefined => {
      const say = via === undefined ? directive : `${directive}\` in \`${via}`;
      const parts = snippet ? SNIPPET_SPEC.exec(spec) : INCLUDE_SPEC.exec(spec);
      const target = parts?.[1]?.trim() ?? '';
      const root = roots[0] ?? here;
      const file = target.startsWith('@/') ? target.slice(2) : target;
      const base = target.startsWith('@/') ? root : dir;
      const text = read(say, index, file, base);
      if (text === undefined) return undefined;
      const region = parts![2]?.slice(1);
      const lines = region ? markedPart(text.split('\n'), REGION, region) : text.replace(/\n$/, '').split('\n');
      if (!lines) return void warn(say, index, `${target} has no region \`${region}\``);
      if (snippet) {
        // The block's info string: the language (in the braces, else the file's extension), then the title.
        const words = (parts![3] ?? '').split(/\s+/).filter((w) => w && !/^\d+(?:[,-]\d+)*$/.test(w));
        const lang = words[0] ?? path.extname(target).slice(1);
        return `${lang}${parts![4] !== undefined ? ` [${parts![4]}]` : ''}\n${dedent(lines).join('\n')}`;
      }
      // Lines `{3,10}`, `{3,}`, `{,10}` (from 1), after the region is taken; the included file's front matter is left out.
      const range = parts![3] !== undefined ? /^(\d*)(?:,(\d*))?$/.exec(parts![3]) : null;
      const from = range?.[1] ? Math.max(1, Number(range[1])) : 1;
      const to = range ? (range[2] === undefined ? from : range[2] ? Number(range[2]) : lines.length) : lines.length;
      const chosen = lines.slice(from - 1, to).join('\n');
      const value = range || region ? chosen : chosen.replace(/^---\n[^]*?\n---(?:\n|$)/, '');
      if (!value.includes('@include:')) return value;
      // The part's own includes, each replaced by its text (or left as written, after a warning).
      const partDir = path.dirname(path.resolve(base, file));
      const partName = path.relative(here, path.resolve(base, file)) || file;
      let out = '';
      let last = 0;
      for (const nested of directives(value)) {
        if (nested.snippet) continue;
        const where = `${nested.directive}\` in \`${partName}`;
        if (depth >= MAX_INCLUDE_DEPTH) {
          warn(where, index, `includes nest more than ${MAX_INCLUDE_DEPTH} deep`);
          break;
        }
        // Parts that include parts many times over stop at what an article's includes may add.
        if (++nestedBudget.count > MAX_NESTED_INCLUDES || nestedBudget.chars > MAX_INCLUDED_CHARS) {
          if (!nestedBudget.warned) warn(where, index, `the article's includes put in more than ${MAX_NESTED_INCLUDES} parts or ${MAX_INCLUDED_CHARS / 1024 / 1024} MB of text`);
          nestedBudget.warned = true;
          break;
        }
        const inner = valueOf(false, nested.directive, nested.spec, index, partDir, depth + 1, partName);
        if (inner === undefined) continue;
        nestedBudget.chars += inner.length;
        out += value.slice(last, nested.index) + inner;
        last = nested.index + nested.directive.length;
      }
      return out + value.slice(last);
    };
    for (const { snippet, directive, spec, index } of directives(body)) {
      if (tried.has(directive)) continue;
      tried.add(directive);
      const value = valueOf(snippet, directive, spec, index, here, 1);
      if (value === undefined) continue;
      if (!fits(directive, index, value)) break;
      includes[directive] = value;
    }
  }
  if (snippets) {
    const budget = { count: 0, chars: 0, warned: false };
    /**
     * The text the snippet `directive` stands for, its own snippets put in place (indented as their line
     * is) up to MAX_INCLUDE_DEPTH files deep; undefined after a warning (at `index`, the article's own
     * snippet, which `via` names when this one is in a file it includes). The file is looked for in each
     * of the project's snippet folders in turn. A file already being put in (`chain`) is not put in again,
     * as pymdownx skips it: a file of 8,000 lines that each included it took 25 s and 2 GB. Escaped lines
     * (`;--8<--`) stay as written: the renderer shows them less their `;`.
     */
    const valueOf = (directive: string, index: number, depth: number, chain: readonly string[], via?: string): string | undefined => {
      const say = via === undefined ? directive : `${directive}\` in \`${via}`;
      const spec = directive.replace(/^-+8<-+[ \t]+/, '').slice(1, -1);
      if (/^[a-z][\w+.-]*:\/\//i.test(spec)) return void warn(say, index, 'quire reads no file from the network');
      const parts = /^(.*?)(?::((?:\d*:\d*|\d+)(?:,(?:\d*:\d*|\d+)){0,20})|:([A-Za-z][\w-]*))?$/.exec(spec)!;
      const target = parts[1]!.trim();
      const base = mkdocs!.bases.find((b) => target !== '' && fs.existsSync(path.resolve(b, target))) ?? mkdocs!.bases[0]!;
      const file = path.resolve(base, target);
      if (chain.includes(file)) return void warn(say, index, `${target} is being put in already: a file does not include itself`);
      const text = read(say, index, target, base);
      if (text === undefined) return undefined;
      let lines = text.replace(/\n$/, '').split('\n');
      if (parts[3] !== undefined) {
        const part = markedPart(lines, SECTION, parts[3]);
        if (!part) return void warn(say, index, `${target} has no section \`${parts[3]}\``);
        lines = part;
      } else if (parts[2] !== undefined) {
        // Line ranges, `3:8`, `3:` (to the end), `:8` (from the first), `3` (from line 3), several with commas.
        const all = lines;
        lines = [];
        for (const range of parts[2].split(',')) {
          const [from, to] = range.split(':');
          for (const line of all.slice(Math.max(1, Number(from) || 1) - 1, to === undefined || to === '' ? all.length : Number(to))) lines.push(line);
        }
      }
      const name = path.relative(here, file) || target;
      const out: string[] = [];
      for (const line of lines) {
        if (SECTION.test(line)) continue;
        const m = line.includes('8<-') ? MKDOCS_SNIPPET.exec(line) : null;
        if (!m || m[2]) {
          out.push(line);
          continue;
        }
        const refuse = depth >= MAX_INCLUDE_DEPTH ? `snippets nest more than ${MAX_INCLUDE_DEPTH} deep` : ++budget.count > MAX_NESTED_INCLUDES || budget.chars > MAX_INCLUDED_CHARS ? `the article's snippets put in more than ${MAX_NESTED_INCLUDES} files or ${MAX_INCLUDED_CHARS / 1024 / 1024} MB of text` : undefined;
        if (refuse) {
          if (!budget.warned) warn(`${m[3]}\` in \`${name}`, index, refuse);
          budget.warned = true;
          out.push(line);
          continue;
        }
        const inner = valueOf(m[3]!, index, depth + 1, [...chain, file], name);
        if (inner === undefined) {
          out.push(line);
          continue;
        }
        budget.chars += inner.length;
        for (const l of inner.split('\n')) out.push(l ? m[1] + l : l);
      }
      return out.join('\n');
    };
    const take = (directive: string, index: number): boolean => {
      if (tried.has(directive)) return true;
      tried.add(directive);
      const value = valueOf(directive, index, 1, [path.resolve(file)]);
      if (value === undefined) return true;
      if (!fits(directive, index, value)) return false;
      includes[directive] = value;
      return true;
    };
    // Each line holding the marker, wherever it is (in fenced code too); the block form, a line `--8<--`
    // alone, a file on each line after it, and `--8<--` again: each file as `--8<-- "file"` would be.
    let room = true;
    for (let hit = body.indexOf('8<-'); hit !== -1 && room; ) {
      const start = body.lastIndexOf('\n', hit) + 1;
      const nl = body.indexOf('\n', hit);
      let end = nl === -1 ? body.length : nl;
      const line = body.slice(start, end);
      const m = MKDOCS_SNIPPET.exec(line);
      if (m && !m[2]) room = take(m[3]!, start + m[1]!.length);
      else if (BLOCK_MARK.test(line)) {
        // The files, up to the closing line, looked for within 64 kB (a block left open reads nothing; each
        // of many left open would otherwise look to the end).
        const close = body.slice(end, end + 65536).search(/\n[ \t]*-{1,20}8<-{1,20}[ \t]*(?:\n|$)/);
        if (close !== -1) {
          let at = end + 1;
          for (const spec of body.slice(end + 1, end + close).split('\n')) {
            const name = spec.trim();
            if (name && !name.startsWith(';') && name.length <= 500 && !name.includes('"') && room) room = take(`--8<-- "${name}"`, at + spec.length - spec.trimStart().length);
            at += spec.length + 1;
          }
          end += close + 1;
          end = body.indexOf('\n', end) === -1 ? body.length : body.indexOf('\n', end);
        }
      }
      hit = end >= body.length ? -1 : body.indexOf('8<-', end);
    }
  }
  if (mdx) {
    // MDX's partials, as Docusaurus writes them: `import Shared from './_shared.mdx';` and, on a line of its
    // own, `<Shared />`, which stands for the partial's Markdown (its front matter left out). The partial
    // showed nowhere in the article (a component quire cannot run), and as a chapter of its own.
    // Lines outside fenced code: a page that shows how to write a partial imports nothing.
    const used = new Set<string>();
    const imports: { name: string; target: string; index: number }[] = [];
    const sources: { name: string; target: string; index: number }[] = [];
    const lines: string[] = [];
    for (const { line, at } of linesOutsideCode(body)) {
      lines.push(line);
      const use = PARTIAL_USE.exec(line);
      if (use) used.add(use[1]!);
      const m = MDX_PARTIAL.exec(line);
      if (m) imports.push({ name: m[1]!, target: m[2]!, index: at });
      const raw = RAW_IMPORT.exec(line);
      if (raw) sources.push({ name: raw[1]!, target: (raw[2] ?? raw[3])!, index: at });
    }
    // A file's text imported as a string (`import Source from '!!raw-loader!./app.js'`, Vite's `./app.js?raw`),
    // which `<CodeBlock language="jsx">{Source}</CodeBlock>` shows: the listing was lost, `{Source}` shown.
    for (const m of sources) {
      const directive = `{${m.name}}`;
      const use = new RegExp(`\\{[ \\t]*${m.name.replace(/\$/g, '\\$')}[ \\t]*\\}`);
      if (tried.has(directive) || !lines.some((l) => use.test(l))) continue;
      tried.add(directive);
      const text = read(directive, m.index, m.target, here);
      if (text === undefined || !fits(directive, m.index, text)) continue;
      includes[directive] = text;
    }
    for (const m of imports) {
      const name = m.name;
      if (!used.has(name)) continue;
      const directive = `<${name} />`;
      if (tried.has(directive)) continue;
      tried.add(directive);
      const before = diagnostics.length;
      const text = read(directive, m.index, m.target, here);
      if (text === undefined) {
        // The tag stands for nothing quire can show: what the warning says.
        for (const d of diagnostics.slice(before)) d.message = d.message.replace(' is shown as written: ', ' is left out: ');
        continue;
      }
      const value = text.replace(/^---\n[^]*?\n---(?:\n|$)/, '');
      if (!fits(directive, m.index, value)) break;
      includes[directive] = value;
      partials.push(path.resolve(here, m.target));
    }
  }
  if (quarto) {
    // Quarto's includes, `{{< include _setup.qmd >}}` on a line of its own: the file's Markdown in its place
    // (its front matter left out), as Quarto puts it. It showed as written, and the file as a chapter of its
    // own (Quarto publishes no file whose name starts with `_`).
    for (const { line, at } of linesOutsideCode(body)) {
      const m = QUARTO_INCLUDE.exec(line);
      if (!m) continue;
      const directive = line.trim();
      if (tried.has(directive)) continue;
      tried.add(directive);
      const text = read(directive, at, m[1]!, here);
      if (text === undefined) continue;
      const value = text.replace(/^---\n[^]*?\n---(?:\n|$)/, '');
      if (!fits(directive, at, value)) break;
      includes[directive] = value;
      partials.push(path.resolve(here, m[1]!));
    }
  }
  return { includes: Object.keys(includes).length ? includes : undefined, files, diagnostics, ...(partials.length && { partials }) };
}
/** Quarto's include on a line of its own: the file, relative to the article. */
const QUARTO_INCLUDE = /^[ \t]*\{\{<[ \t]*include[ \t]+([^\s<>{}]{1,500})[ \t]*>\}\}[ \t]*$/;

/**
 * A line that uses a partial: its component's tag, closing itself or closed at once (`<Shared />`,
 * `<Shared></Shared>`), with props of string values or none (`<Greeting name="Ada" />`, which the partial
 * shows where it writes `{props.name}`). render/markdown.ts looks for it too.
 */
export const PARTIAL_USE = /^[ \t]*<([A-Z][\w$]{0,100})((?:[ \t]+[A-Za-z_$][\w$-]{0,100}(?:=(?:"[^"\n]*"|'[^'\n]*'))?){0,50})[ \t]*(?:\/>|><\/\1>)[ \t]*$/;

/** A partial's Markdown with the props of its use (`name="Ada"`) where it writes `{props.name}`, as text. */
export function withPartialProps(text: string, props: string | undefined): string {
  if (!props || !text.includes('props.')) return text;
  const values = new Map<string, string>();
  for (const m of props.matchAll(/([A-Za-z_$][\w$-]*)(?:=(?:"([^"]*)"|'([^']*)'))?/g)) values.set(m[1]!, m[2] ?? m[3] ?? 'true');
  // Not in code, where MDX reads no expression: fenced blocks' lines, and code spans.
  const fenced = fencedLines();
  return text
    .split('\n')
    .map((line) => {
      if (fenced(line)) return line;
      const inCodeSpan = codeSpans(line);
      return line.replace(/\{[ \t]*props\.([A-Za-z_$][\w$]*)[ \t]*\}/g, (written, name: string, at: number) => {
        const value = inCodeSpan(at) ? undefined : values.get(name);
        return value === undefined ? written : value.replace(/[\\`*_{}[\]()#+\-.!<>|~$&]/g, '\\$&');
      });
    })
    .join('\n');
}
/** A file imported as its text: the name, and the file relative to the article (raw-loader's, Vite's `?raw`). */
const RAW_IMPORT = /^import[ \t]+([A-Za-z_$][\w$]{0,100})[ \t]+from[ \t]+['"](?:!!?raw-loader!(\.{1,2}\/[^'"\n?!]{1,500})|(\.{1,2}\/[^'"\n?!]{1,500})\?raw)['"];?[ \t]*$/;
/** An MDX partial's import: the component's name and the file, relative to the article. */
const MDX_PARTIAL = /^import[ \t]+([A-Z][\w$]{0,100})[ \t]+from[ \t]+['"](\.{1,2}\/[^'"\n]{1,500}\.mdx?)['"];?[ \t]*$/;

/** A snippet's file (its extension), region, braces (highlighted lines and a language) and title. */
const SNIPPET_SPEC = /^(.+?)(#[\w-]+)?(?:[ \t]*\{([^{}]*)\})?(?:[ \t]*\[([^\]\n]*)\])?$/;
/** A Markdown include's file, region and lines. */
const INCLUDE_SPEC = /^(.+?)(#[\w-]+)?(?:\{([^{}]*)\})?$/;

/** The lines of `body` outside fenced code blocks, each with its offset. */
function* linesOutsideCode(body: string): Generator<{ line: string; at: number }> {
  const fenced = fencedLines();
  for (let at = 0; at <= body.length; ) {
    const nl = body.indexOf('\n', at);
    const end = nl === -1 ? body.length : nl;
    const line = body.slice(at, end);
    if (!fenced(line)) yield { line, at };
    if (nl === -1) break;
    at = nl + 1;
  }
}

/**
 * A region's marker line, in the comment of any language: `// #region name`, `<!-- #endregion name -->`,
 * `# region name`, `#pragma region name`, `(* #region name *)`. The name ends the line (less a comment's
 * closing), so that a comment such as `// region lookups are cached` is code, not a marker (VitePress takes
 * it for one and leaves it out). An end marker may have no name.
 */
const REGION = /^\s*(?:(?:\/\/|\/\*|<!--|::|--|\(\*)\s*#?|#pragma\s+|#\s*)(end\s?)?region(?:\s+([\w*-]+))?\s*(?:-->|\*\/|\*\))?\s*$/i;

/**
 * The lines between the start and end markers named `name` (`marker` captures whether a line ends a part, then
 * its name), less every marker line: mdBook's anchors and VitePress's regions. A part left open runs to the
 * end; undefined when none starts.
 */
function markedPart(lines: readonly string[], marker: RegExp, name: string): string[] | undefined {
  const is = (l: string, end: boolean) => {
    const m = marker.exec(l);
    // An end marker without a name (`// #endregion`) ends the part open.
    return m !== null && (m[1] !== undefined) === end && (m[2] === name || (end && m[2] === undefined));
  };
  const from = lines.findIndex((l) => is(l, false));
  if (from === -1) return undefined;
  const to = lines.findIndex((l, i) => i > from && is(l, true));
  return lines.slice(from + 1, to === -1 ? lines.length : to).filter((l) => !marker.test(l));
}

/** `lines` less the indentation they all share (blank lines aside). */
function dedent(lines: string[]): string[] {
  let least = Infinity;
  for (const l of lines) if (l.trim()) least = Math.min(least, /^[ \t]*/.exec(l)![0].length);
  return least === Infinity || least === 0 ? lines : lines.map((l) => l.slice(Math.min(least, /^[ \t]*/.exec(l)![0].length)));
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
  return markedPart(lines, ANCHOR, selector)?.join('\n');
}
