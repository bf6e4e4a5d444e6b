// quire check: the book being checked, read from its zip without extracting anything, and how a rule
// reports what it found (as the same Diagnostic a build gives, its file the entry inside the book).
import fs from 'node:fs';
import path from 'node:path';
import type { CHECK_CODES } from '../codes.js';
import { escapeControls, type Diagnostic, type Severity } from '../diagnostics.js';
import { readCentralDirectory, readEntry, type ZipEntry } from './zip.js';

/** What a rule found: `entry` is the file inside the EPUB it concerns; `by` the rule family (default `quire`). */
export interface Found {
  severity: Severity;
  code: keyof typeof CHECK_CODES;
  message: string;
  entry?: string;
  line?: number;
  column?: number;
  by?: NonNullable<Diagnostic['source']>;
}

export interface Book {
  /** The EPUB's path. */
  file: string;
  zip: Buffer;
  entries: ZipEntry[];
  byName: Map<string, ZipEntry>;
  /** An entry's bytes; undefined (and a finding, once) when it cannot be read or fails its CRC. */
  read(name: string): Buffer | undefined;
  /** Read every entry no rule has read, so that each one's size and CRC-32 are verified. */
  verifyAll(): void;
  /** Entries that failed to read (damaged, altered, lying about their size). */
  damaged: Set<string>;
  /** Entries that declare XML entities (a billion laughs, an external entity), whatever their name or type. */
  entities: Set<string>;
  add(f: Found): void;
}

/** `<!ENTITY` in UTF-8 and in UTF-16 (both byte orders): how a document declares an entity. */
const ENTITY = [Buffer.from('<!ENTITY'), Buffer.from('<!ENTITY', 'utf16le'), Buffer.from('<!ENTITY', 'utf16le').swap16()];

/** The diagnostic for a finding in `file`, with the book's own text escaped for printing. */
export function diagnosticOf(file: string, f: Found): Diagnostic {
  const { entry, by, ...rest } = f;
  return { ...rest, message: escapeControls(rest.message), file: entry ? `${file}/${escapeControls(entry)}` : file, source: by ?? 'quire' };
}

/** Open the EPUB: read the file and its zip directory; undefined (with a finding) when it cannot be. */
export function openBook(file: string, add: (f: Found) => void): Book | undefined {
  let zip: Buffer;
  try {
    zip = fs.readFileSync(file);
  } catch (e) {
    add({ severity: 'error', code: 'check-unreadable', message: `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return undefined;
  }
  let entries: ZipEntry[];
  try {
    entries = readCentralDirectory(zip);
  } catch (e) {
    add({ severity: 'error', code: 'check-zip', message: (e as Error).message });
    return undefined;
  }
  const byName = new Map<string, ZipEntry>();
  for (const e of entries) {
    // Two entries of one name: which one a reader takes is up to it (EPUBCheck reports it as OPF-060).
    if (byName.has(e.name)) add({ severity: 'error', code: 'check-zip-duplicate', message: 'the zip holds two entries of this name: readers may take either', entry: e.name });
    else byName.set(e.name, e);
  }
  const verified = new Set<string>();
  const damaged = new Set<string>();
  const entities = new Set<string>();
  const read = (name: string): Buffer | undefined => {
    const e = byName.get(name);
    if (!e || damaged.has(name)) return undefined;
    try {
      const bytes = readEntry(zip, e);
      if (!verified.has(name) && ENTITY.some((marker) => bytes.includes(marker))) {
        entities.add(name);
        add({ severity: 'error', code: 'check-xml-entities', message: 'the entry declares XML entities (<!ENTITY: entity expansion and external entities are refused, and EPUBCheck is not run on it)', entry: name });
      }
      verified.add(name);
      return bytes;
    } catch (err) {
      damaged.add(name);
      add({ severity: 'error', code: 'check-zip', message: (err as Error).message, entry: name });
      return undefined;
    }
  };
  const verifyAll = () => {
    for (const e of entries) {
      if (byName.get(e.name) !== e) {
        // A duplicate's bytes are verified too, under its own position.
        try {
          readEntry(zip, e);
        } catch (err) {
          add({ severity: 'error', code: 'check-zip', message: (err as Error).message, entry: e.name });
        }
      } else if (!verified.has(e.name)) read(e.name);
    }
  };
  return { file, zip, entries, byName, read, add, verifyAll, damaged, entities };
}

/** `href` percent-decoded, or undefined when it holds a bad escape (`bad%zz.xhtml`): decoding never throws. */
export function decodeHref(href: string): string | undefined {
  try {
    return decodeURIComponent(href);
  } catch {
    return undefined;
  }
}

/**
 * The zip path an href (relative to the entry `from`, or to a folder when `fromFolder`) leads to, without its
 * fragment; undefined, with a `check-href` finding on `entry`, when its percent-escapes are bad.
 */
export function resolveHref(book: Pick<Book, 'add'>, base: string, href: string, where: { entry: string; line?: number; column?: number }): string | undefined {
  const decoded = decodeHref(href.split('#')[0]!);
  if (decoded === undefined) {
    book.add({ severity: 'error', code: 'check-href', message: `${JSON.stringify(href)} has a bad percent-escape (% not followed by two hex digits of UTF-8)`, ...where });
    return undefined;
  }
  return path.posix.normalize(path.posix.join(base, decoded));
}
