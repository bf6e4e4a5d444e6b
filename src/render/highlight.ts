// The syntax-highlighting seam: fenced code with a language -> highlight.js spans (class `hljs-*`), which
// the book's style sheet shows by weight and style as well as colour, for e-ink and night mode.
// A block's grammar loads when a block first names it (by its name or an alias, see highlight-grammars.ts),
// with the grammars it embeds (JavaScript's CSS and GraphQL templates, HTML's scripts...): loading all 190
// of highlight.js's grammars took 0.2 s on every thread, for any language they did not know.
// JavaScript, TypeScript and JSON, most of the code in documentation, go to a scanner about seven times faster
// (highlight-scan.ts) that writes the same classes; bench/highlighters.mjs compares the two.
// Each article gets a highlight.js instance of its own (startArticle): a compiled grammar keeps state from
// the code it has read (its matchers for a rule skipped at the same place are made when first needed, and
// renumber the rules they share with the others), so that a block's highlighting depended on the blocks read
// before it on that thread, and an article could differ between a cold build, a rebuild, a cached build and
// one spread over worker threads.
import { createRequire } from 'node:module';
import { ALIASES, GRAMMARS } from './highlight-grammars.js';
import { scanCode } from './highlight-scan.js';

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
/** The article's highlight.js instance, made when its first block needs one. */
let hljs: Hljs | undefined;
/** Grammars registered (by module name) on that instance, and those highlight.js has none for. */
const registered = new Set<string>();
const missing = new Set<string>();

/**
 * Forget the grammars compiled for the previous article, so that an article's code reads the same whatever
 * was highlighted before it. A new instance compiles the grammars an article uses again: on the benchmark's
 * 1,000 real-docs articles, the 3,435 blocks that go to highlight.js took 0.5-0.7 s instead of 0.1-0.2 s.
 */
export function startArticle(): void {
  if (hljs === undefined) return;
  hljs = undefined;
  registered.clear();
}

/** Register a grammar (by module name) and every grammar it embeds; false if highlight.js has no such grammar. */
function register(core: Hljs, grammar: string): boolean {
  if (registered.has(grammar)) return true;
  if (missing.has(grammar) || !GRAMMAR_FILE.test(grammar)) return false;
  let definition: unknown;
  try {
    definition = require(`highlight.js/lib/languages/${grammar}`);
  } catch {
    missing.add(grammar);
    return false;
  }
  core.registerLanguage(grammar, definition);
  registered.add(grammar);
  for (const sub of embedded(core.getLanguage(grammar))) {
    // A grammar that guesses among all (HTTP's body) gets them all, in highlight.js's own order.
    if (sub === '*') for (const g of GRAMMARS) register(core, g);
    else register(core, sub);
  }
  return true;
}

/** The grammars a grammar hands parts of its text to (`subLanguage`); '*' when it guesses among all. */
function embedded(language: unknown): Set<string> {
  const found = new Set<string>();
  const seen = new Set<object>();
  const stack: unknown[] = [language];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    const sub = (v as { subLanguage?: unknown }).subLanguage;
    if (typeof sub === 'string') found.add(sub);
    else if (Array.isArray(sub)) {
      if (sub.length === 0) found.add('*');
      for (const s of sub) if (typeof s === 'string') found.add(s);
    }
    for (const child of Object.values(v)) if (typeof child === 'object') stack.push(child);
  }
  return found;
}

/** The code as highlighted HTML, or undefined when the language is unknown (the caller escapes it plainly). */
export function highlightCode(code: string, lang: string): string | undefined {
  if (code.length > MAX_CODE || !/^[\w+#.-]{1,40}$/.test(lang)) return undefined;
  const name = lang.toLowerCase();
  const scanned = scanCode(code, name);
  if (scanned !== undefined) return scanned;
  if (hasLongerLine(code, MAX_LINE)) return undefined;
  hljs ??= (require('highlight.js/lib/core') as Hljs).newInstance();
  // By the grammar's own name: an alias two grammars claim (`ls`, `ml`) means what it means once all are loaded.
  const grammar = Object.hasOwn(ALIASES, name) ? ALIASES[name]! : name;
  if (!register(hljs, grammar)) return undefined;
  try {
    return hljs.highlight(code, { language: grammar, ignoreIllegals: true }).value;
  } catch {
    return undefined;
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
