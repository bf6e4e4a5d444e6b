// Diagnostics: every problem quire finds in its input is data, not an exception.
// A Diagnostic names the file, line and column to fix; the caller decides what fails the run.
import path from 'node:path';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Absolute path of the file (or folder) concerned; undefined for problems with no file. */
  file?: string;
  /** 1-based line and column; absent when the problem concerns a whole file or folder. */
  line?: number;
  column?: number;
  severity: Severity;
  /** Stable identifier, e.g. `image-missing`; listed in the README's diagnostics table. */
  code: string;
  message: string;
}

export interface Place {
  line: number;
  column: number;
}

/** Collects the diagnostics of one run, in the order they were found. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.items.push(d);
  }

  error(code: string, message: string, file?: string, place?: Place): void {
    this.add({ severity: 'error', code, message, file, ...place });
  }

  warning(code: string, message: string, file?: string, place?: Place): void {
    this.add({ severity: 'warning', code, message, file, ...place });
  }

  addAll(list: readonly Diagnostic[]): void {
    for (const d of list) this.items.push(d);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** Line and column (1-based) of a character offset in a text. */
export function placeOf(text: string, offset: number): Place {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** Sort diagnostics by file, then position, keeping discovery order for ties. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const fa = a.d.file ?? '';
      const fb = b.d.file ?? '';
      if (fa !== fb) return fa < fb ? -1 : 1;
      const la = a.d.line ?? 0;
      const lb = b.d.line ?? 0;
      if (la !== lb) return la - lb;
      const ca = a.d.column ?? 0;
      const cb = b.d.column ?? 0;
      if (ca !== cb) return ca - cb;
      return a.i - b.i;
    })
    .map((x) => x.d);
}

/**
 * `path:line:col: severity: message [code]`, with the path relative to `cwd`.
 * A problem with no position in a file is `path: severity: message`; with no file, `quire: ...`.
 */
export function formatDiagnostic(d: Diagnostic, cwd: string): string {
  let where = 'quire';
  if (d.file !== undefined) {
    const rel = path.relative(cwd, d.file) || '.';
    where = d.line !== undefined ? `${rel}:${d.line}:${d.column ?? 1}` : rel;
  }
  return `${where}: ${d.severity}: ${d.message} [${d.code}]`;
}
