// The TOML seam: front matter between `+++` lines, as Hugo writes it, read with smol-toml into the same
// entries the YAML seam gives. Nothing else in quire touches the TOML library.
import { parse, TomlError } from 'smol-toml';
import type { DiagnosticCode } from './codes.js';
import type { Diagnostic, Place } from './diagnostics.js';
import type { YamlEntry, YamlMapping } from './yaml.js';

/**
 * Parse `text` (which starts at line `firstLine` of `file`) as a TOML table. The library gives no places
 * for values: a key's place is that of the line that sets it at the top of the text.
 */
export function parseTomlMapping(text: string, file: string, firstLine: number, code: DiagnosticCode): YamlMapping {
  let table: Record<string, unknown>;
  try {
    table = parse(text);
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const message = e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    const diagnostic: Diagnostic = { file, line: firstLine + e.line - 1, column: e.column, severity: 'error', code, message: `TOML: ${message}` };
    return { entries: new Map(), diagnostics: [diagnostic], ok: false };
  }
  // Keys at the top level are set before the first [table] header.
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s*\[/.test(l));
  const top = header === -1 ? lines : lines.slice(0, header);
  // Each key's first line, read in one pass (a search of the lines for each key took 11 s for 16,000 keys).
  const places = new Map<string, Place>();
  top.forEach((l, i) => {
    const m = /^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=/.exec(l);
    const key = m && (m[1] ?? m[2] ?? m[3])!;
    if (key !== null && !places.has(key)) places.set(key, { line: firstLine + i, column: l.length - l.trimStart().length + 1 });
  });
  const placeOf = (key: string): Place => places.get(key) ?? { line: firstLine, column: 1 };
  const entries = new Map<string, YamlEntry>();
  for (const [key, value] of Object.entries(table)) {
    const place = placeOf(key);
    entries.set(key, { value, keyPlace: place, valuePlace: place });
  }
  return { entries, diagnostics: [], ok: true };
}
