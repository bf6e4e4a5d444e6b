// Front matter as JSON, the third form Hugo reads (an object at the very top of the file), into the same
// entries the YAML seam gives. JSON.parse names no places: a key's place is found by reading the object's
// top level once, and an error's is where the parser stopped.
import type { DiagnosticCode } from './codes.js';
import { placeOf, type Diagnostic, type Place } from './diagnostics.js';
import type { YamlEntry, YamlMapping } from './yaml.js';

/**
 * The end of JSON front matter at the top of `text` (the end of the line its closing brace is on), -1 when
 * the text does not start with one (a `{` and a key after it: a Markdown file may start with a brace of its
 * own), or -2 when it does and the object is never closed. The end is found by counting braces outside
 * strings: a nested object may close on a line of its own.
 */
export function jsonFrontMatterEnd(text: string): number {
  if (!/^\{\s*"[^"\n]*"\s*:/.test(text)) return -1;
  const scan = scanObject(text);
  if (scan.end === -1) return -2;
  const nl = text.indexOf('\n', scan.end);
  const lineEnd = nl === -1 ? text.length : nl;
  return /^[ \t\r]*$/.test(text.slice(scan.end, lineEnd)) ? lineEnd : -1;
}

/** The end of the object that starts `text` (after its closing brace, -1 if none), and where each key of its top level is. */
function scanObject(text: string): { end: number; keys: Map<string, number> } {
  const keys = new Map<string, number>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      if (depth === 1 && /^\s*:/.test(text.slice(i + 1, i + 64))) {
        try {
          const key = JSON.parse(text.slice(start, i + 1)) as string;
          if (!keys.has(key)) keys.set(key, start);
        } catch {
          // Not a string JSON reads: the parser says where.
        }
      }
    } else if (c === 123 || c === 91) depth++;
    else if ((c === 125 || c === 93) && --depth === 0) return { end: i + 1, keys };
  }
  return { end: -1, keys };
}

/** Parse `text` (which starts at line `firstLine` of `file`) as a JSON object. */
export function parseJsonMapping(text: string, file: string, firstLine: number, code: DiagnosticCode): YamlMapping {
  const placeAt = (offset: number): Place => {
    const at = placeOf(text, offset);
    return { line: firstLine - 1 + at.line, column: at.column };
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const diagnostic: Diagnostic = { file, ...(at ? placeAt(Number(at[1])) : { line: firstLine, column: 1 }), severity: 'error', code, message: `JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}` };
    return { entries: new Map(), diagnostics: [diagnostic], ok: false };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { entries: new Map(), diagnostics: [{ file, line: firstLine, column: 1, severity: 'error', code, message: 'JSON front matter must be an object of keys and values' }], ok: false };
  }
  const { keys } = scanObject(text);
  const entries = new Map<string, YamlEntry>();
  for (const [key, v] of Object.entries(value)) {
    const at = keys.get(key);
    const place = at === undefined ? { line: firstLine, column: 1 } : placeAt(at);
    entries.set(key, { value: v, keyPlace: place, valuePlace: place });
  }
  return { entries, diagnostics: [], ok: true };
}
