// The syntax-highlighting seam: fenced code with a language -> highlight.js spans (class `hljs-*`), which
// the book's style sheet shows by weight and style as well as colour, for e-ink and night mode.
// A block's grammar loads when a block first names it (by its name or an alias, see highlight-grammars.ts),
// with the grammars it embeds (JavaScript's CSS and GraphQL templates, HTML's scripts...): loading all 190
// of highlight.js's grammars took 0.2 s on every thread, for any language they did not know.
// JavaScript, TypeScript and JSON, most of the code in documentation, go to a scanner about seven times faster
// (highlight-scan.ts) that writes the same classes; bench/highlighters.mjs compares the two.
// A compiled highlight.js grammar keeps state from the code it has read: when it skips a rule where it matched
// (a keyword after a dot, a shebang not at the start), it makes the matcher for the rules after that one, which
// renumbers the rules it shares with the full matcher, and later blocks resume at the wrong rule. A block's
// highlighting then depended on the blocks read before it on that thread, and an article could differ between
// a cold build, a rebuild, a cached build and one spread over worker threads. So the grammars that can skip a
// rule (with those they embed) have an instance of their own, which is let go after any block that made such a
// matcher (sinceSkip); the others, CSS and Markdown among them, one instance for the thread.
import { createRequire } from 'node:module';
import { ALIASES, GRAMMARS } from './highlight-grammars.js';
import { scanCode } from './highlight-scan.js';
import { keptClasses } from './sanitize-attributes.js';

interface HljsResult {
  value: string;
}
interface Hljs {
  registerLanguage(name: string, language: unknown): void;
  getLanguage(name: string): unknown;
  newInstance(): Hljs;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): HljsResult;
}

/** Longest code block highlighted; longer ones are left plain (highlighting time grows with size). */
const MAX_CODE = 200_000;
/**
 * Longest line highlight.js is given: its time grows with the square of a line's length in some grammars
 * (a 100 kB line opening a JavaScript regular expression class took 14 s), so a block with a longer line is
 * left plain. The scanner reads any line in one pass.
 */
const MAX_LINE = 2_000;
/** How highlight.js names its grammars' modules. */
const GRAMMAR_FILE = /^[a-z0-9][a-z0-9-]{0,39}$/;

const require = createRequire(import.meta.url);
interface Highlighter {
  core: Hljs;
  /** Grammars registered (by module name) on it. */
  registered: Set<string>;
  /** What sinceSkip reads of each grammar once compiled. */
  matchers: Map<string, unknown[]>;
}
const highlighter = (): Highlighter => ({
  core: (require('highlight.js/lib/core') as Hljs).newInstance(),
  registered: new Set(),
  matchers: new Map(),
});
/** Grammars only read, never used to highlight: what a grammar embeds and whether it can skip a rule. */
let probe: Highlighter | undefined;
/** The thread's instance for the grammars that cannot skip a rule, and the one for the others. */
let lasting: Highlighter | undefined;
let skipper: Highlighter | undefined;
/**
 * Grammars highlight.js has none for; for each grammar, the grammars a block of it may compile (itself and
 * those it embeds) when one of them can skip a rule, else null.
 */
const missing = new Set<string>();
const skipping = new Map<string, readonly string[] | null>();

/** What quire reads of a compiled mode: its matcher's matchers, one for each rule a scan resumes after. */
interface CompiledMode {
  isCompiled?: boolean;
  contains?: unknown;
  starts?: unknown;
  matcher?: { multiRegexes?: unknown };
}

/**
 * Whether a block highlighted on `h` may have changed how it reads the next: one of the grammars it may have
 * compiled (`group`) has made a matcher that resumes after a skipped rule, or its compiled shape is not the one this check knows (a
 * highlight.js that compiles otherwise), which counts as changed. Compiling C++ again takes 13 ms, so the
 * instance is let go only then: of the benchmark's 1,000 real-docs articles, 971 blocks use such a grammar and none
 * made such a matcher.
 */
function sinceSkip(h: Highlighter, group: readonly string[]): boolean {
  for (const grammar of group) {
    const language = h.core.getLanguage(grammar) as CompiledMode | undefined;
    if (!language?.isCompiled) continue;
    let matchers = h.matchers.get(grammar);
    if (!matchers) h.matchers.set(grammar, (matchers = matchersOf(language)));
    if (matchers.length === 0) return true;
    for (const m of matchers) if (!Array.isArray(m) || m.length > 1) return true;
  }
  return false;
}

/** The `multiRegexes` of every mode of a compiled grammar, each once; none when its shape is unknown. */
function matchersOf(language: CompiledMode): unknown[] {
  const found: unknown[] = [];
  const seen = new Set<object>();
  const stack: unknown[] = [language];
  while (stack.length) {
    const mode = stack.pop() as CompiledMode;
    if (typeof mode !== 'object' || mode === null || seen.has(mode)) continue;
    seen.add(mode);
    if (!mode.matcher || !Array.isArray(mode.matcher.multiRegexes)) return [];
    found.push(mode.matcher.multiRegexes);
    if (Array.isArray(mode.contains)) stack.push(...(mode.contains as unknown[]));
    if (mode.starts) stack.push(mode.starts);
  }
  return found;
}

/** Register a grammar (by module name) and every grammar it embeds; false if highlight.js has no such grammar. */
function register(h: Highlighter, grammar: string): boolean {
  if (h.registered.has(grammar)) return true;
  if (missing.has(grammar) || !GRAMMAR_FILE.test(grammar)) return false;
  let definition: unknown;
  try {
    definition = require(`highlight.js/lib/languages/${grammar}`);
  } catch {
    missing.add(grammar);
    return false;
  }
  h.core.registerLanguage(grammar, definition);
  h.registered.add(grammar);
  for (const sub of embedded(h.core.getLanguage(grammar))) {
    // A grammar that guesses among all (HTTP's body) gets them all, in highlight.js's own order.
    if (sub === '*') for (const g of GRAMMARS) register(h, g);
    else register(h, sub);
  }
  return true;
}

/** Every object of a grammar's definition (its modes, their rules...), each once. */
function* definitionObjects(language: unknown): Generator<object> {
  const seen = new Set<object>();
  const stack: unknown[] = [language];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    yield v;
    for (const child of Object.values(v)) if (typeof child === 'object') stack.push(child);
  }
}

/** The grammars a grammar hands parts of its text to (`subLanguage`); '*' when it guesses among all. */
function embedded(language: unknown): Set<string> {
  const found = new Set<string>();
  for (const v of definitionObjects(language)) {
    const sub = (v as { subLanguage?: unknown }).subLanguage;
    if (typeof sub === 'string') found.add(sub);
    else if (Array.isArray(sub)) {
      if (sub.length === 0) found.add('*');
      for (const s of sub) if (typeof s === 'string') found.add(s);
    }
  }
  return found;
}

/**
 * A registered grammar and those it embeds, when one of them has a rule that can be skipped where it
 * matched (a `beginKeywords` one, skipped after a dot, or one with an `on:begin` callback, which may skip
 * it); else null.
 */
function skippingGroup(h: Highlighter, grammar: string): readonly string[] | null {
  const known = skipping.get(grammar);
  if (known !== undefined) return known;
  const group = new Set([grammar]);
  const todo = [grammar];
  while (todo.length)
    for (const sub of embedded(h.core.getLanguage(todo.pop()!)))
      for (const g of sub === '*' ? GRAMMARS : [sub])
        if (h.registered.has(g) && !group.has(g)) {
          group.add(g);
          todo.push(g);
        }
  const skips = [...group].some((g) => hasSkippableRule(h.core.getLanguage(g))) ? [...group] : null;
  skipping.set(grammar, skips);
  return skips;
}

function hasSkippableRule(language: unknown): boolean {
  for (const v of definitionObjects(language)) if ('beginKeywords' in v || 'on:begin' in v) return true;
  return false;
}

/**
 * Whether highlightCode may highlight a block: it may still find the language unknown. The Markdown stage
 * marks such a block for the serialiser, which highlights it (highlightXhtml).
 */
export function mayHighlight(code: string, lang: string): boolean {
  return code.length <= MAX_CODE && /^[\w+#.-]{1,40}$/.test(lang);
}

/** The code as highlighted HTML, or undefined when the language is unknown (the caller escapes it plainly). */
export function highlightCode(code: string, lang: string): string | undefined {
  if (!mayHighlight(code, lang)) return undefined;
  const name = lang.toLowerCase();
  const scanned = scanCode(code, name);
  if (scanned !== undefined) return scanned;
  if (hasLongerLine(code, MAX_LINE)) return undefined;
  // By the grammar's own name: an alias two grammars claim (`ls`, `ml`) means what it means once all are loaded.
  const grammar = Object.hasOwn(ALIASES, name) ? ALIASES[name]! : name;
  probe ??= highlighter();
  if (!register(probe, grammar)) return undefined;
  const group = skippingGroup(probe, grammar);
  const h = group ? (skipper ??= highlighter()) : (lasting ??= highlighter());
  register(h, grammar);
  try {
    return h.core.highlight(code, { language: grammar, ignoreIllegals: true }).value;
  } catch {
    return undefined;
  } finally {
    if (group && sinceSkip(h, group)) skipper = undefined;
  }
}

function hasLongerLine(code: string, max: number): boolean {
  if (code.length <= max) return false;
  let start = 0;
  for (let nl = code.indexOf('\n'); nl !== -1; nl = code.indexOf('\n', start)) {
    if (nl - start > max) return true;
    start = nl + 1;
  }
  return code.length - start > max;
}

/**
 * The code as highlighted XHTML, written as the serialiser writes a tree (serialize.ts): the same bytes as
 * highlightCode's HTML parsed, sanitised and serialised, without that work. Text keeps `"` and `'` as they
 * are, and a span keeps the classes the sanitiser keeps (sanitize-attributes.ts). `code` holds no character
 * XML forbids (the caller strips them). Undefined when the language is unknown.
 */
export function highlightXhtml(code: string, lang: string): string | undefined {
  let html = highlightCode(code, lang);
  if (html === undefined) return undefined;
  // The classes highlight.js and the scanner write are all kept: a span is written again only otherwise.
  if (html.includes('<span class="') && UNUSUAL_CLASS.test(html)) {
    html = html.replace(SPAN_START, (_, cls: string) => {
      const kept = keptClasses(cls);
      return kept ? `<span class="${kept}">` : '<span>';
    });
  }
  if (html.includes('&quot;')) html = html.replaceAll('&quot;', '"');
  if (html.includes('&#x27;')) html = html.replaceAll('&#x27;', "'");
  return html;
}
/** What names a block's highlighted XHTML when it is made before it is serialised (markdown.ts). */
export function highlightKey(lang: string, code: string): string {
  return `${lang}\u0000${code}`;
}

/** A span's start tag, and one whose classes are not all of those the sanitiser keeps, one space apart. */
const SPAN_START = /<span class="([^"]*)">/g;
const UNUSUAL_CLASS = /<span class="(?![A-Za-z_][\w-]*(?: [A-Za-z_][\w-]*)*")/;
