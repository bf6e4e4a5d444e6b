// Diagnostics: every problem quire finds in its input is data, not an exception.
// A Diagnostic names the file, line and column to fix; the caller decides what fails the run.
import path from 'node:path';
import type { DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Absolute path of the file (or folder) concerned; undefined for problems with no file. */
  file?: string;
  /** 1-based line and column; absent when the problem concerns a whole file or folder. */
  line?: number;
  column?: number;
  severity: Severity;
  /** Stable identifier, e.g. `image-missing`; see src/codes.ts and docs/diagnostics.md. */
  code: DiagnosticCode;
  message: string;
  /** Who found it, when not quire's build: a rule family of quire check (`kindle`, `kobo`, `accessibility`, `quire`) or `epubcheck`. */
  source?: 'quire' | 'kindle' | 'kobo' | 'accessibility' | 'epubcheck';
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

  error(code: DiagnosticCode, message: string, file?: string, place?: Place): void {
    this.add({ severity: 'error', code, message, file, ...place });
  }

  warning(code: DiagnosticCode, message: string, file?: string, place?: Place): void {
    this.add({ severity: 'warning', code, message, file, ...place });
  }

  addAll(list: readonly Diagnostic[]): void {
    for (const d of list) this.items.push(d);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** Where each line starts, for the last text asked about: diagnostics come in runs for one article. */
let lineIndex: { text: string; starts: number[] } | undefined;

/** Line and column (1-based) of a character offset in a text. */
export function placeOf(text: string, offset: number): Place {
  if (lineIndex?.text !== text) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    lineIndex = { text, starts };
  }
  const { starts } = lineIndex;
  const at = Math.min(Math.max(offset, 0), text.length);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: at - starts[lo]! + 1 };
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
    const rel = escapeControls(path.relative(cwd, d.file) || '.');
    where = d.line !== undefined ? `${rel}:${d.line}:${d.column ?? 1}` : rel;
  }
  return `${where}: ${d.severity}: ${escapeControls(d.message)} [${d.code}]`;
}

/**
 * A file name or message made safe to print on one line: control characters (C0, DEL, C1), line and
 * paragraph separators, direction marks and overrides are written as escapes, so a name such as
 * `evil\nfake.md:3:1: warning: ...` cannot print a forged problem or reorder what the terminal shows.
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** From this many diagnostics of one code in one file on, they are printed as one line (see formatDiagnostics). */
export const SUMMARY_FROM = 3;

/**
 * The lines to print for a run's diagnostics, sorted by file and position. Three or more of one code in one
 * file (a README's dozens of links to its web site) are one line: the first, with how many more there are,
 * so that they do not bury the others. `verbose` prints every one. `folded` counts the diagnostics not printed.
 * The diagnostics themselves are all in the build's result: only their printing is summarised.
 */
export function formatDiagnostics(list: readonly Diagnostic[], cwd: string, options: { verbose?: boolean } = {}): { lines: string[]; folded: number } {
  const sorted = sortDiagnostics(list);
  if (options.verbose) return { lines: sorted.map((d) => formatDiagnostic(d, cwd)), folded: 0 };
  const key = (d: Diagnostic) => `${d.file ?? ''}\u0000${d.code}`;
  const counts = new Map<string, number>();
  for (const d of sorted) if (d.file !== undefined) counts.set(key(d), (counts.get(key(d)) ?? 0) + 1);
  const lines: string[] = [];
  const printed = new Set<string>();
  let folded = 0;
  for (const d of sorted) {
    const n = d.file === undefined ? 1 : counts.get(key(d))!;
    if (n < SUMMARY_FROM) {
      lines.push(formatDiagnostic(d, cwd));
    } else if (!printed.has(key(d))) {
      printed.add(key(d));
      lines.push(formatDiagnostic({ ...d, message: `${d.message} (and ${n - 1} more like it in this file)` }, cwd));
    } else folded++;
  }
  return { lines, folded };
}
