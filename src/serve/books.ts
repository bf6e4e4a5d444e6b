// Serve, stage 1: the books of a folder. Finds every EPUB (and KEPUB) under the folder, reads each one's
// package document through the checker's zip reader (sizes and names checked before anything is inflated)
// and returns plain records: title, authors, language, summary, dates, cover. Symbolic links that lead out
// of the folder, dot files and anything that is not a regular file are left out.
import fs from 'node:fs';
import path from 'node:path';
import { parseXml, walk, type XmlNode } from '../check/xml.js';
import { readCentralDirectory, readEntry, type ZipEntry } from '../check/zip.js';

export const EPUB_TYPE = 'application/epub+zip';
/** The media type Kobo's store and calibre's content server give KEPUB files. */
export const KEPUB_TYPE = 'application/kepub+zip';

export interface BookFile {
  /** Path inside the served folder, with `/` separators. */
  rel: string;
  kind: 'epub' | 'kepub';
  size: number;
  mtime: Date;
}

export interface BookRecord {
  /** The files' shared name, relative to the folder, without `.epub` or `.kepub.epub`: the entry's key. */
  key: string;
  title: string;
  authors: string[];
  lang?: string;
  summary?: string;
  publisher?: string;
  identifier?: string;
  /** dc:date as the book gives it. */
  issued?: string;
  /** The newest file's modification time. */
  updated: Date;
  /** The EPUB and/or KEPUB files of the book. */
  files: BookFile[];
  /** The cover image inside the first file's zip, when the package names one. */
  cover?: { file: string; entry: string; type: string };
}

/** The folder's real path; every file served must resolve inside it. */
export function realRoot(folder: string): string {
  return fs.realpathSync(folder);
}

/**
 * The real path of `rel` inside `root` (a real path), or undefined when it names nothing, leaves the folder
 * (by `..`, an absolute path or a symbolic link), passes through a dot file or is not a regular file.
 */
export function resolveInside(root: string, rel: string): string | undefined {
  if (rel.includes('\0') || rel.includes('\\')) return undefined;
  const parts = rel.split('/').filter((p) => p !== '');
  if (!parts.length || parts.some((p) => p === '..' || p === '.' || p.startsWith('.'))) return undefined;
  let real: string;
  try {
    real = fs.realpathSync(path.join(root, ...parts));
  } catch {
    return undefined;
  }
  if (!real.startsWith(root + path.sep)) return undefined;
  try {
    if (!fs.statSync(real).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return real;
}

/** Every .epub file under the folder (at most `depth` folders down), sorted by path. */
export function findBookFiles(root: string, depth = 4): BookFile[] {
  const out: BookFile[] = [];
  const visit = (dir: string, prefix: string, level: number) => {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      const rel = prefix ? `${prefix}/${name}` : name;
      const real = resolveInsideDir(root, path.join(dir, name));
      let stat: fs.Stats;
      try {
        if (!real) continue;
        stat = fs.statSync(real);
      } catch {
        continue; // removed while the folder was read
      }
      if (stat.isDirectory()) {
        if (level < depth) visit(path.join(dir, name), rel, level + 1);
      } else if (stat.isFile() && /\.epub$/i.test(name)) {
        out.push({ rel, kind: /\.kepub\.epub$/i.test(name) ? 'kepub' : 'epub', size: stat.size, mtime: stat.mtime });
      }
    }
  };
  visit(root, '', 0);
  return out;
}

function resolveInsideDir(root: string, file: string): string | undefined {
  try {
    const real = fs.realpathSync(file);
    return real.startsWith(root + path.sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** What the package document says: the record's metadata, and its cover entry inside the zip. */
type OpfFacts = Omit<BookRecord, 'key' | 'title' | 'updated' | 'files' | 'cover'> & { title?: string; cover?: { entry: string; type: string } };

const cache = new Map<string, { stamp: string; facts: OpfFacts | undefined }>();

/** What a book's package document says of it; undefined when the file is not a readable EPUB. */
export function readFacts(file: string, stat: { size: number; mtime: Date }): OpfFacts | undefined {
  const stamp = `${stat.size}:${stat.mtime.getTime()}`;
  const hit = cache.get(file);
  if (hit && hit.stamp === stamp) return hit.facts;
  let facts: OpfFacts | undefined;
  try {
    facts = opfFacts(fs.readFileSync(file));
  } catch {
    facts = undefined;
  }
  cache.set(file, { stamp, facts });
  return facts;
}

function entryBytes(zip: Buffer, entries: ZipEntry[], name: string): Buffer | undefined {
  const entry = entries.find((e) => e.name === name);
  return entry ? readEntry(zip, entry) : undefined;
}


/** An XML document read as the checker reads it (no entity declarations); undefined when it is not well-formed. */
function parse(bytes: Buffer | undefined): XmlNode | undefined {
  return parseXml(bytes, '', () => {}).root;
}

function descendants(n: XmlNode, local: string): XmlNode[] {
  const out: XmlNode[] = [];
  walk(n, (x) => {
    if (x.local === local) out.push(x);
  });
  return out;
}

const clean = (s: string | undefined) => s?.replace(/\s+/g, ' ').trim() || undefined;

/** The package document's metadata and cover, read from the zip's bytes. */
export function opfFacts(zip: Buffer): OpfFacts | undefined {
  const entries = readCentralDirectory(zip);
  const containerRoot = parse(entryBytes(zip, entries, 'META-INF/container.xml'));
  const rootfile = containerRoot && descendants(containerRoot, 'rootfile')[0]?.attrs['full-path'];
  if (!rootfile) return undefined;
  const opf = parse(entryBytes(zip, entries, rootfile));
  if (!opf) return undefined;
  const metadata = descendants(opf, 'metadata')[0];
  if (!metadata) return undefined;
  const dc = (local: string) => descendants(metadata, local).map((n) => clean(n.text)).filter((s): s is string => !!s);
  const items = descendants(opf, 'item');
  // EPUB 3 marks the cover with properties="cover-image"; EPUB 2 with <meta name="cover" content="id">.
  const coverId = descendants(metadata, 'meta').find((m) => m.attrs.name === 'cover')?.attrs.content;
  const coverItem = items.find((i) => /(^|\s)cover-image(\s|$)/.test(i.attrs.properties ?? '')) ?? items.find((i) => coverId !== undefined && i.attrs.id === coverId);
  let cover: OpfFacts['cover'];
  if (coverItem?.attrs.href && /^image\/(jpeg|png|gif|webp|svg\+xml)$/.test(coverItem.attrs['media-type'] ?? '')) {
    const href = decodeURIComponentSafe(coverItem.attrs.href.split('#')[0]!);
    const name = path.posix.normalize(path.posix.join(path.posix.dirname(rootfile), href));
    if (!name.startsWith('../') && entries.some((e) => e.name === name)) cover = { entry: name, type: coverItem.attrs['media-type']! };
  }
  return {
    title: dc('title')[0],
    authors: dc('creator'),
    lang: dc('language')[0],
    summary: dc('description')[0],
    publisher: dc('publisher')[0],
    identifier: dc('identifier')[0],
    issued: dc('date')[0],
    cover,
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** One cover image's bytes from inside a book. */
export function readZipEntry(file: string, name: string): Buffer | undefined {
  try {
    const zip = fs.readFileSync(file);
    const entry = readCentralDirectory(zip).find((e) => e.name === name);
    return entry ? readEntry(zip, entry) : undefined;
  } catch {
    return undefined;
  }
}

/** The books of the folder: one record for each name, with its EPUB and KEPUB files together. */
export function listBooks(root: string): BookRecord[] {
  const groups = new Map<string, BookFile[]>();
  for (const f of findBookFiles(root)) {
    const key = f.rel.replace(/(\.kepub)?\.epub$/i, '');
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const books: BookRecord[] = [];
  for (const [key, files] of groups) {
    files.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'epub' ? -1 : 1));
    let facts: OpfFacts | undefined;
    let from: BookFile | undefined;
    for (const f of files) {
      facts = readFacts(path.join(root, f.rel), f);
      if (facts) {
        from = f;
        break;
      }
    }
    // A file whose package cannot be read is still offered, under its file name: nothing in the folder is hidden.
    facts ??= { authors: [] };
    from ??= files[0]!;
    const updated = new Date(Math.max(...files.map((f) => f.mtime.getTime())));
    books.push({
      ...facts,
      key,
      title: facts.title ?? path.posix.basename(key),
      updated,
      files,
      cover: facts.cover && { file: from.rel, ...facts.cover },
    });
  }
  return books;
}
