// Stage: render (Markdown), before Marked reads an MDX article. JSX tags written as MDX writes them: props
// whose values are JavaScript expressions (`values={[{label: 'A', value: 'a'}]}`, `onChange={(v) => f(v)}`,
// `{...props}`), tags spread over several lines, and fragments (`<>…</>`). None of them is HTML's: the `>`
// of `=>` ended the tag, nested braces kept a line of tags from being read as one (see COMPONENT_LINE in
// markdown.ts), Docusaurus's own example of tabs (`<Tabs` on one line, its props on the next) was shown as
// written, props and all, with the tabs' text run into one paragraph, and a fragment's tags showed.
//
// The text is rewritten in place, the same length, so that every position (diagnostics) is where it was:
// an expression's value becomes an empty quoted value, or the string it holds (`{'beta'}`, the path of
// `{require("./x.png").default}`); a spread and a fragment's tags are blanked; the line breaks inside a tag
// are spaces, so that it is one line, as a line of tags is. (Moving them before the tag made blank lines,
// which ended the block around it: an `export` holding JSX, a list's item.) The render places diagnostics
// by offset in the text as written.

import { backtickRuns, fencedLines } from '../articles/markdown-code.js';

/** How far one tag is read, at most; past the render's budget (a few times the text's length), less. */
const MAX_TAG = 8 * 1024;
const SMALL_TAG = 256;

/** An expression that is only a string (or a template without `${`). */
export const STRING_EXPRESSION = /^\{\s*(?:"([^"\\\n]*)"|'([^'\\\n]*)'|`([^`\\$]*)`)\s*\}$/;
/** `require("./img.png").default`, `useBaseUrl('/img/x.png')`: an asset's path. */
const PATH_EXPRESSION = /^\{\s*(?:require|useBaseUrl)\(\s*(?:"([^"\\\n]+)"|'([^'\\\n]+)')\s*\)(?:\.default)?\s*\}$/;
const NAME_START = /[A-Za-z]/;

/**
 * `body` with its JSX tags' expressions and line breaks rewritten (see above); the same length. The tabs'
 * names that a `values` prop gives (Docusaurus's `<Tabs values={[{label: 'Apple', value: 'apple'}]}>`,
 * whose `<TabItem value="apple">` has no label of its own) are put in `labels`, by value, a group for each
 * `<Tabs>` in the order of the text.
 */
export function withJsxTags(body: string, labels?: Map<string, string>[]): string {
  if (!body.includes('<')) return body;
  const out: string[] = [];
  let copied = 0;
  let budget = 8 * body.length + 1_000_000;
  const fenced = fencedLines();
  // Where to read on in the line, after a tag that ended on it.
  let resume = 0;
  // Where the next run of backticks of each length is (-1: none), found again only once passed.
  const nextRun = backtickRuns(body);
  let lineStart = 0;
  while (lineStart < body.length) {
    const nl = body.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? body.length : nl;
    if (resume <= lineStart && fenced(body.slice(lineStart, Math.min(lineEnd, lineStart + 1000)))) {
      lineStart = lineEnd + 1;
      continue;
    }
    let next = lineEnd + 1;
    // Tags on this line, outside code spans (a run of backticks to the same run on the line).
    for (let i = Math.max(lineStart, resume); i < lineEnd; i++) {
      const c = body.charCodeAt(i);
      if (c === 96) {
        let run = i;
        while (body.charCodeAt(run) === 96) run++;
        const close = nextRun(run - i, run);
        i = close !== -1 && close < lineEnd ? close + run - i - 1 : run - 1;
        continue;
      }
      if (c !== 60) continue;
      // A fragment's tags, `<>` and `</>`, mark nothing: blanked.
      const fragment = body.startsWith('<>', i) ? 2 : body.startsWith('</>', i) ? 3 : 0;
      if (fragment) {
        out.push(body.slice(copied, i), ' '.repeat(fragment));
        copied = i + fragment;
        i += fragment - 1;
        continue;
      }
      const tag = readTag(body, i, budget > 0 ? MAX_TAG : SMALL_TAG, labels);
      budget -= tag ? tag.end - i : SMALL_TAG;
      if (!tag) continue;
      if (!tag.rewritten && !tag.lines) {
        i = tag.end - 1;
        continue;
      }
      const text = tag.lines ? tag.text.replace(/\n/g, ' ') : tag.text;
      out.push(body.slice(copied, i), text);
      copied = tag.end;
      // The tag may end on a later line: read on from there, after it. The lines it spread over are not
      // fence lines: the fence reader does not see them.
      const end = tag.lines ? body.lastIndexOf('\n', tag.end - 1) : -1;
      if (end >= lineEnd) {
        next = end + 1;
        resume = tag.end;
        break;
      }
      i = tag.end - 1;
    }
    lineStart = next;
  }
  if (copied === 0) return body;
  out.push(body.slice(copied));
  return out.join('');
}

interface Tag {
  /** Where the tag ends, after its `>`. */
  end: number;
  /** The tag rewritten, the same length as it was. */
  text: string;
  /** Whether an expression or spread was rewritten. */
  rewritten: boolean;
  /** Whether the tag spreads over more than one line. */
  lines: boolean;
}

/**
 * The tag that starts at `at` (`<Name …>`, `</Name>`, `<name …/>`), read as JSX reads it, within `limit`
 * characters; undefined if there is none there (or it is not ended within the limit).
 */
function readTag(s: string, at: number, limit: number, labels?: Map<string, string>[]): Tag | undefined {
  const stop = Math.min(s.length, at + limit);
  let i = at + 1;
  if (s.charCodeAt(i) === 47) i++;
  if (!NAME_START.test(s[i] ?? '')) return undefined;
  while (i < stop && /[\w.:-]/.test(s[i]!)) i++;
  const parts: string[] = [s.slice(at, i)];
  // A `<Tabs>`'s tabs' names, by value: one group for each, in the order of the text (see withTabLabels).
  const group = labels && parts[0] === '<Tabs' ? new Map<string, string>() : undefined;
  let rewritten = false;
  let lines = false;
  for (;;) {
    const space = i;
    while (i < stop && /\s/.test(s[i]!)) i++;
    if (i >= stop) return undefined;
    const ws = s.slice(space, i);
    if (ws.includes('\n')) {
      lines = true;
      // A blank line ends what could be a tag: it is text.
      if (/\n[ \t]*\n/.test(ws)) return undefined;
    }
    parts.push(ws);
    const c = s[i]!;
    if (c === '>' || (c === '/' && s[i + 1] === '>')) {
      const end = c === '>' ? i + 1 : i + 2;
      parts.push(s.slice(i, end));
      if (group) labels!.push(group);
      return { end, text: parts.join(''), rewritten, lines };
    }
    if (space === i && parts.length > 2) return undefined;
    if (c === '{') {
      // A spread, `{...props}`.
      const close = expressionEnd(s, i, stop);
      if (close === -1) return undefined;
      parts.push(blank(s.slice(i, close)));
      rewritten = true;
      i = close;
      continue;
    }
    // An attribute: its name, then `=` and a value, or none.
    const name = i;
    while (i < stop && !/[\s=>/"'{}<]/.test(s[i]!)) i++;
    if (i === name) return undefined;
    parts.push(s.slice(name, i));
    let j = i;
    while (j < stop && (s[j] === ' ' || s[j] === '\t')) j++;
    if (s[j] !== '=') continue;
    j++;
    while (j < stop && (s[j] === ' ' || s[j] === '\t')) j++;
    parts.push(s.slice(i, j));
    i = j;
    const q = s[i];
    if (q === '"' || q === "'") {
      const close = indexBefore(s, q, i + 1, stop);
      if (close === -1) return undefined;
      parts.push(s.slice(i, close + 1));
      if (s.slice(i, close).includes('\n')) lines = true;
      i = close + 1;
    } else if (q === '{') {
      const close = expressionEnd(s, i, stop);
      if (close === -1) return undefined;
      if (group && s.slice(name, name + 7) === 'values=') readLabels(s.slice(i, close), group);
      if (group && s.slice(name, name + 6) === 'items=') readItems(s.slice(i, close), group);
      parts.push(valueOf(s.slice(i, close)));
      rewritten = true;
      i = close;
    } else {
      const value = i;
      while (i < stop && !/[\s"'=<>`]/.test(s[i]!)) i++;
      if (i === value) return undefined;
      parts.push(s.slice(value, i));
    }
  }
}

/**
 * Where the expression that starts with the `{` at `at` ends (after its `}`), its strings, templates, comments
 * and nested braces read through; -1 if not before `stop`.
 */
function expressionEnd(s: string, at: number, stop: number): number {
  // The braces open: 0 for a brace, 1 for a template's `${`.
  const open: number[] = [];
  let i = at;
  while (i < stop) {
    const c = s[i]!;
    if (c === '{') {
      open.push(0);
      i++;
    } else if (c === '}') {
      open.pop();
      i++;
      if (open.length === 0) return i;
      if (open[open.length - 1] === 1) {
        // Back in a template.
        open.pop();
        const end = templateEnd(s, i, stop, open);
        if (end === -1) return -1;
        i = end;
      }
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < stop && s[j] !== c && s[j] !== '\n') j += s[j] === '\\' ? 2 : 1;
      // JSX text (`<b>it's</b>`) may hold a lone quote: the line is read on.
      i = j < stop && s[j] === c ? j + 1 : i + 1;
    } else if (c === '`') {
      const end = templateEnd(s, i + 1, stop, open);
      if (end === -1) return -1;
      i = end;
    } else if (c === '/' && s[i + 1] === '*') {
      const close = indexBefore(s, '*/', i + 2, stop);
      if (close === -1) return -1;
      i = close + 2;
    } else if (c === '/' && s[i + 1] === '/') {
      const nl = indexBefore(s, '\n', i, stop);
      i = nl === -1 ? stop : nl;
    } else if (c === '\n' && /^\n[ \t]*\n/.test(s.slice(i, i + 64))) {
      // A blank line: not an expression of a tag's.
      return -1;
    } else i++;
  }
  return -1;
}

/**
 * Where a template's text that starts at `at` ends: after its closing backtick (returned), or after a `${`,
 * which is pushed on `open` as 1 and read on as an expression (returned: after the `${`).
 */
function templateEnd(s: string, at: number, stop: number, open: number[]): number {
  let i = at;
  while (i < stop) {
    const c = s[i]!;
    if (c === '\\') i += 2;
    else if (c === '`') return i + 1;
    else if (c === '$' && s[i + 1] === '{') {
      open.push(1, 0);
      return i + 2;
    } else i++;
  }
  return -1;
}

/**
 * An expression's value as an attribute's: the string or path it holds, the text of the JSX it holds
 * (`title={<>Uses <code>fetch</code></>}`: "Uses fetch", which a box's title shows), else empty; the same
 * length.
 */
function valueOf(expression: string): string {
  const m = STRING_EXPRESSION.exec(expression) ?? PATH_EXPRESSION.exec(expression);
  const jsx = m ? undefined : JSX_EXPRESSION.exec(expression);
  const value = m ? (m[1] ?? m[2] ?? m[3] ?? '') : jsx ? jsx[1]!.replace(/\{[^{}]*\}|<[^<>]*>/g, ' ').replace(/\s+/g, ' ').trim() : undefined;
  if (value !== undefined && value.length + 2 <= expression.length && !/[\n"]/.test(value)) {
    return `"${value}"${' '.repeat(expression.length - value.length - 2)}`;
  }
  return `"${blank(expression.slice(1, -1))}"`;
}

/**
 * The strings of an `items` prop's array (Nextra's `<Tabs items={['npm', 'yarn']}>`, whose `<Tab>`s name
 * themselves by their place), into `labels` as `#0`, `#1`...
 */
function readItems(expression: string, labels: Map<string, string>): void {
  const array = /^\{\s*\[([^[\]]{0,4000})\]\s*\}$/.exec(expression);
  if (!array) return;
  let n = 0;
  for (const m of array[1]!.matchAll(/"([^"\n]{0,200})"|'([^'\n]{0,200})'|`([^`\n$]{0,200})`/g)) if (n < 1000) labels.set(`#${n++}`, (m[1] ?? m[2] ?? m[3])!);
}

/** An expression that is JSX (an element or a fragment): its markup. */
const JSX_EXPRESSION = /^\{\s*(<[^]*>)\s*\}$/;

/** The `{label: '…', value: '…'}` pairs of a `values` prop's expression, into `labels` (value → label). */
function readLabels(expression: string, labels: Map<string, string>): void {
  for (const m of expression.matchAll(/\{([^{}]{0,500})\}/g)) {
    const label = LABEL.exec(m[1]!);
    const value = VALUE.exec(m[1]!);
    if (label && value && labels.size < 1000) labels.set((value[1] ?? value[2] ?? value[3])!, (label[1] ?? label[2] ?? label[3])!);
  }
}
const LABEL = /\blabel\s*:\s*(?:"([^"\n]{0,200})"|'([^'\n]{0,200})'|`([^`\n]{0,200})`)/;
const VALUE = /\bvalue\s*:\s*(?:"([^"\n]{0,200})"|'([^'\n]{0,200})'|`([^`\n]{0,200})`)/;

/** Where `needle` is in `s` from `from`, looked for before `stop` only (-1: not there). */
function indexBefore(s: string, needle: string, from: number, stop: number): number {
  const at = s.slice(from, stop + needle.length - 1).indexOf(needle);
  return at === -1 ? -1 : from + at;
}

/** Spaces for every character but line breaks. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}
