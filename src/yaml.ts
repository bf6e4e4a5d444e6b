// The YAML seam: parses a YAML mapping and keeps the line and column of every key and value.
// Used for book.yaml and for articles' front matter; wraps the `yaml` package.
import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import type { Node } from 'yaml';
import type { DiagnosticCode } from './codes.js';
import type { Diagnostic, Place } from './diagnostics.js';

// Loaded on first use: a build whose front matter and book.yaml are all simple `key: text` lines never needs it.
let yamlLib: typeof YamlLib | undefined;
const yaml = (): typeof YamlLib => (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof YamlLib);

export interface YamlEntry {
  value: unknown;
  /** Where the key stands. */
  keyPlace: Place;
  /** Where the value stands (the key's place when the value is empty). */
  valuePlace: Place;
  /** For a sequence value, the place of each item. */
  itemPlaces?: Place[];
}

export interface YamlMapping {
  entries: Map<string, YamlEntry>;
  diagnostics: Diagnostic[];
  /** False when the text could not be read as a mapping at all. */
  ok: boolean;
}

/**
 * Parse `text` (which starts at line `firstLine` of `file`) as a YAML mapping.
 * An empty text is an empty mapping. Errors carry positions in the file.
 */
export function parseYamlMapping(text: string, file: string, firstLine: number, code: DiagnosticCode): YamlMapping {
  return parseSimpleMapping(text, firstLine) ?? parseWithLibrary(text, file, firstLine, code);
}

/** What any scalar of the core schema reads as when it is not a string: null, booleans, numbers. */
const NOT_A_STRING =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const SIMPLE_KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?:( +)(.*?))? *$/;
const SIMPLE_ITEM = /^( *)-( +)(.*?) *$/;
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\ufeff\ufffe\uffff]/;

/**
 * A string scalar written on one line that reads the same in every YAML: plain text that no indicator,
 * comment or `: ` can change, or quoted text without escapes. Undefined for anything else.
 */
function simpleString(raw: string): string | undefined {
  if (raw === '' || UNSAFE.test(raw)) return undefined;
  const q = raw[0];
  if (q === '"' || q === "'") {
    const inner = raw.slice(1, -1);
    return raw.length >= 2 && raw[raw.length - 1] === q && !inner.includes(q) && !inner.includes('\\') ? inner : undefined;
  }
  if (/^[-?:,[\]{}#&*!|>%@`]/.test(raw) || /:(?: |$)| #/.test(raw) || NOT_A_STRING.test(raw)) return undefined;
  return raw;
}

/**
 * The front matter most articles have (`key: text` lines, and lists of text items) read without the YAML
 * library, which costs a fifth of a millisecond an article. Anything else (numbers, nesting, escapes,
 * comments after values, block scalars...) is undefined and goes to the library; a property test checks
 * that both read what this accepts the same way, places included.
 */
export function parseSimpleMapping(text: string, firstLine: number): YamlMapping | undefined {
  const entries = new Map<string, YamlEntry>();
  const lines = text.split('\n');
  // The entry whose value is `key:` alone, which the item lines that follow make a list.
  let head: { entry: YamlEntry; items: string[]; indent: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = firstLine + i;
    if (/^ *$/.test(line) || line.startsWith('#')) continue;
    const item = SIMPLE_ITEM.exec(line);
    if (item) {
      const [, indent, gap, raw] = item as unknown as [string, string, string, string];
      const value = simpleString(raw);
      if (!head || value === undefined || (head.items.length > 0 && indent.length !== head.indent)) return undefined;
      if (head.items.length === 0) {
        head.indent = indent.length;
        head.entry.value = head.items;
        head.entry.valuePlace = { line: lineNo, column: indent.length + 1 };
        head.entry.itemPlaces = [];
      }
      head.items.push(value);
      head.entry.itemPlaces!.push({ line: lineNo, column: indent.length + gap.length + 2 });
      continue;
    }
    const m = SIMPLE_KEY.exec(line);
    if (!m || entries.has(m[1]!)) return undefined;
    const [, key, gap, raw] = m as unknown as [string, string, string | undefined, string | undefined];
    const keyPlace = { line: lineNo, column: 1 };
    head = undefined;
    if (gap === undefined) {
      const entry: YamlEntry = { value: null, keyPlace, valuePlace: { line: lineNo, column: key.length + 2 } };
      entries.set(key, entry);
      head = { entry, items: [], indent: 0 };
      continue;
    }
    const value = simpleString(raw ?? '');
    if (value === undefined) return undefined;
    entries.set(key, { value, keyPlace, valuePlace: { line: lineNo, column: key.length + 2 + gap!.length } });
  }
  return { entries, diagnostics: [], ok: true };
}

/**
 * The YAML library's message, its first sentence; one of the JavaScript engine's own (a stack overflow, on
 * hundreds of nested `[`) says what in the text caused it.
 */
function readerMessage(message: string): string {
  return /Maximum call stack/i.test(message) ? 'it nests too deeply to be read (brackets or blocks hundreds of levels deep)' : firstSentence(message);
}

/** The YAML library's reading, with places (the simple reading must agree with it). */
export function parseWithLibrary(text: string, file: string, firstLine: number, code: DiagnosticCode): YamlMapping {
  const lineCounter = new (yaml().LineCounter)();
  const entries = new Map<string, YamlEntry>();
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): Place => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line + firstLine - 1, column: p.col };
  };
  let doc;
  try {
    doc = yaml().parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    diagnostics.push({ file, line: firstLine, column: 1, severity: 'error', code, message: `YAML could not be read: ${readerMessage((e as Error).message)}` });
    return { entries, diagnostics, ok: false };
  }
  for (const err of doc.errors) {
    diagnostics.push({ file, ...at(errorOffset(text, err.pos[0], err.message)), severity: 'error', code, message: `YAML: ${readerMessage(err.message)}` });
  }
  if (doc.errors.length > 0) return { entries, diagnostics, ok: false };
  const root = doc.contents;
  if (root === null || (yaml().isScalar(root) && (root.value === null || root.value === ''))) return { entries, diagnostics, ok: true };
  if (!yaml().isMap(root)) {
    diagnostics.push({ file, ...at(root.range?.[0] ?? 0), severity: 'error', code, message: 'expected a mapping of `key: value` lines' });
    return { entries, diagnostics, ok: false };
  }
  for (const pair of root.items) {
    const keyNode = pair.key as Node | null;
    const keyPlace = at(keyNode?.range?.[0] ?? 0);
    const key = yaml().isScalar(keyNode) ? String(keyNode.value) : undefined;
    if (key === undefined) {
      diagnostics.push({ file, ...keyPlace, severity: 'error', code, message: 'keys must be plain words' });
      continue;
    }
    const valueNode = pair.value as Node | null;
    let value: unknown;
    try {
      value = valueNode === null ? null : valueNode.toJS(doc, { maxAliasCount: 100 });
    } catch (e) {
      diagnostics.push({ file, ...keyPlace, severity: 'error', code, message: `YAML: ${readerMessage((e as Error).message)}` });
      continue;
    }
    const entry: YamlEntry = { value, keyPlace, valuePlace: valueNode?.range ? at(valueNode.range[0]) : keyPlace };
    if (yaml().isSeq(valueNode)) entry.itemPlaces = valueNode.items.map((item) => at((item as Node).range?.[0] ?? 0));
    entries.set(key, entry);
  }
  return { entries, diagnostics, ok: diagnostics.length === 0 };
}

/**
 * Where to point for a YAML error. An unclosed `[` or `{` is reported where the parser gave up, often the
 * next key; the bracket that was never closed is the place to fix.
 */
function errorOffset(text: string, offset: number, message: string): number {
  const unclosed = /end with an? ([\]}])/.exec(message)?.[1];
  if (unclosed) {
    const open = text.lastIndexOf(unclosed === ']' ? '[' : '{', Math.max(0, offset - 1));
    if (open !== -1) return open;
  }
  return offset;
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

/** Levenshtein distance, for "did you mean" hints on misspelt keys. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  // Two edits are a likely typo in a longer word (`titel`), not in a short one (`name` is not `date`).
  return bestDistance <= (word.length >= 5 ? Math.max(2, Math.floor(word.length / 3)) : 1) && bestDistance < word.length ? best : undefined;
}
