// Front matter as JSON, the third form Hugo reads (an object from a first line `{` to a line `}`), into the
// same entries the YAML seam gives. JSON.parse names no places: a key's place is that of the first line that
// sets it, and an error's is where the parser stopped.
import type { DiagnosticCode } from './codes.js';
import type { Diagnostic, Place } from './diagnostics.js';
import type { YamlEntry, YamlMapping } from './yaml.js';

/**
 * The end of JSON front matter at the top of `text` (its closing `}` line's), or -1: a first line `{`, a
 * key on the next, a line `}`.
 */
export function jsonFrontMatterEnd(text: string): number {
  // A key on the second line, as Hugo writes it: a Markdown file may start with a brace of its own.
  if (!/^\{[ \t]*\r?\n[ \t]*"[^"\n]*"[ \t]*:/.test(text)) return -1;
  const close = /^\}[ \t]*$/m.exec(text);
  if (!close) return -1;
  return close.index + close[0].length;
}

/** Parse `text` (which starts at line `firstLine` of `file`) as a JSON object. */
export function parseJsonMapping(text: string, file: string, firstLine: number, code: DiagnosticCode): YamlMapping {
  const lineAt = (offset: number): Place => {
    const before = text.slice(0, offset);
    const nl = before.lastIndexOf('\n');
    return { line: firstLine + (before.match(/\n/g)?.length ?? 0), column: offset - nl };
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const diagnostic: Diagnostic = { file, ...(at ? lineAt(Number(at[1])) : { line: firstLine, column: 1 }), severity: 'error', code, message: `JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}` };
    return { entries: new Map(), diagnostics: [diagnostic], ok: false };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { entries: new Map(), diagnostics: [{ file, line: firstLine, column: 1, severity: 'error', code, message: 'JSON front matter must be an object of keys and values' }], ok: false };
  }
  const entries = new Map<string, YamlEntry>();
  for (const [key, v] of Object.entries(value)) {
    const at = text.indexOf(JSON.stringify(key));
    const place = at === -1 ? { line: firstLine, column: 1 } : lineAt(at);
    entries.set(key, { value: v, keyPlace: place, valuePlace: place });
  }
  return { entries, diagnostics: [], ok: true };
}
