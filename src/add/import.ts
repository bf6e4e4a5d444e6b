// Imports, reading stage: an export file -> the links in it, each with its tags and the time it was saved.
// The format is recognised by the content, not the name: Pocket (CSV, and the older HTML), Instapaper CSV,
// Netscape bookmarks HTML (browsers, Raindrop, Pinboard), Wallabag or Omnivore JSON, a plain list of URLs.
import { parseHTML } from 'linkedom';
import { toMarkdown } from './extract.js';
import type { Entry } from './queue.js';

export type ImportFormat = 'pocket-csv' | 'pocket-html' | 'instapaper-csv' | 'bookmarks-html' | 'json' | 'url-list';

export interface ImportedLink {
  url: string;
  title?: string;
  tags: string[];
  /** ISO 8601. */
  saved?: string;
  /** The article's HTML when the export holds it (Wallabag). */
  content?: string;
  /** Line of the file the link is on (1-based), for messages. */
  line: number;
}

export interface ImportRead {
  format: ImportFormat;
  links: ImportedLink[];
  /** Lines or records that hold no usable link, with why. */
  problems: { line: number; message: string }[];
}

export class ImportError extends Error {}

export function readImport(text: string): ImportRead {
  const t = text.replace(/^\uFEFF/, '');
  const head = t.slice(0, 4096);
  if (/^\s*[[{]/.test(t)) return readJson(t);
  if (/<!DOCTYPE\s+NETSCAPE-Bookmark-file/i.test(head) || /<dt>\s*<a\s/i.test(head)) return readHtml(t, 'bookmarks-html');
  if (/<(html|ul|a)[\s>]/i.test(head)) return readHtml(t, /pocket/i.test(head) || /time_added=/i.test(t) ? 'pocket-html' : 'bookmarks-html');
  const firstLine = head.split(/\r?\n/)[0]!.toLowerCase();
  if (/^\ufeff?"?url"?,"?title"?/.test(firstLine) && /timestamp/.test(firstLine)) return readCsv(t, 'instapaper-csv');
  if (/(^|,)"?url"?(,|$)/.test(firstLine) && /(^|,)"?time_added"?(,|$)/.test(firstLine)) return readCsv(t, 'pocket-csv');
  if (/,/.test(firstLine) && /(^|,)"?url"?(,|$)/.test(firstLine)) return readCsv(t, 'pocket-csv');
  return readList(t);
}

function readList(text: string): ImportRead {
  const links: ImportedLink[] = [];
  const problems: ImportRead['problems'] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    if (/^https?:\/\/\S+$/i.test(line)) links.push({ url: line, tags: [], line: i + 1 });
    else problems.push({ line: i + 1, message: `not a URL: ${line.slice(0, 80)}` });
  });
  if (links.length === 0 && problems.length > 0) throw new ImportError('not an export quire knows (Pocket, Instapaper, bookmarks HTML, Wallabag or Omnivore JSON) nor a list of URLs');
  return { format: 'url-list', links, problems };
}

function readHtml(text: string, format: 'pocket-html' | 'bookmarks-html'): ImportRead {
  const { document } = parseHTML(text.includes('<html') ? text : `<html><body>${text}</body></html>`);
  const links: ImportedLink[] = [];
  const problems: ImportRead['problems'] = [];
  // Line numbers: the n-th `<a ` of the text is the n-th anchor of the document.
  const lineOf = anchorLines(text);
  [...document.querySelectorAll('a')].forEach((a, i) => {
    const line = lineOf[i] ?? 1;
    // Bookmark files write attributes in capitals (HREF, ADD_DATE, TAGS); they are read in any case.
    const attrs = new Map([...a.attributes].map((x) => [x.name.toLowerCase(), x.value]));
    const href = attrs.get('href')?.trim() ?? '';
    if (!/^https?:\/\//i.test(href)) {
      if (href && !/^(javascript|place):/i.test(href)) problems.push({ line, message: `not a web address: ${href.slice(0, 80)}` });
      return;
    }
    const tags = splitTags(attrs.get('tags') ?? '');
    const time = attrs.get('time_added') ?? attrs.get('add_date');
    links.push({ url: href, title: a.textContent?.replace(/\s+/g, ' ').trim() || undefined, tags, saved: epochToIso(time), line });
  });
  return { format, links, problems };
}

function anchorLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let last = 0;
  for (const m of text.matchAll(/<a[\s>]/gi)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    lines.push(line);
  }
  return lines;
}

function readCsv(text: string, format: 'pocket-csv' | 'instapaper-csv'): ImportRead {
  const rows = parseCsv(text);
  const header = (rows.shift()?.cells ?? []).map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const links: ImportedLink[] = [];
  const problems: ImportRead['problems'] = [];
  for (const { cells, line } of rows) {
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    const get = (name: string) => (col(name) >= 0 ? cells[col(name)]?.trim() : undefined) || undefined;
    const url = get('url');
    if (!url || !/^https?:\/\//i.test(url)) {
      problems.push({ line, message: url ? `not a web address: ${url.slice(0, 80)}` : 'no URL in this row' });
      continue;
    }
    const tags = splitTags(get('tags') ?? '');
    if (format === 'instapaper-csv') {
      // Instapaper's folders are where the user filed the link; Unread, Archive and Starred are states, not tags.
      const folder = get('folder');
      if (folder && !/^(unread|archive|starred)$/i.test(folder)) tags.push(folder);
    }
    links.push({ url, title: get('title'), tags: [...new Set(tags)], saved: epochToIso(get('time_added') ?? get('timestamp')), line });
  }
  return { format, links, problems };
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ cells, line: rowLine });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || cells.length) {
    cells.push(cell);
    rows.push({ cells, line: rowLine });
  }
  return rows;
}

function readJson(text: string): ImportRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`not valid JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(data) ? data : ((data as Record<string, unknown>).items ?? (data as Record<string, unknown>).articles ?? (data as Record<string, unknown>).entries);
  if (!Array.isArray(list)) throw new ImportError('a JSON export must be a list of articles (Wallabag, Omnivore) or hold one under `items` or `articles`');
  const links: ImportedLink[] = [];
  const problems: ImportRead['problems'] = [];
  // JSON has no useful lines for a record: each is found by the line its URL is written on.
  const urlLines = new Map<string, number>();
  text.split('\n').forEach((l, i) => {
    const m = /"(?:url|given_url|originalUrl|original_url|link)"\s*:\s*"([^"]+)"/.exec(l);
    if (m && !urlLines.has(m[1]!)) urlLines.set(m[1]!.replace(/\\\//g, '/'), i + 1);
  });
  list.forEach((raw, i) => {
    const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const url = [r.url, r.given_url, r.resolved_url, r.originalUrl, r.original_url, r.link, r.href].find((u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u));
    const line = (url && urlLines.get(url)) || 1;
    if (!url) {
      problems.push({ line, message: `record ${i + 1} has no web address` });
      return;
    }
    // Pinboard's JSON (href, description, time, tags) separates its tags with spaces.
    const pinboard = typeof r.href === 'string' && 'shared' in r;
    const tagValues = [r.tags, r.labels].flatMap((t) => (Array.isArray(t) ? t : typeof t === 'string' ? (pinboard ? t.split(/\s+/) : splitTags(t)) : []));
    const tags = tagValues.map((t) => (typeof t === 'string' ? t : t && typeof t === 'object' ? ((t as Record<string, unknown>).label ?? (t as Record<string, unknown>).name ?? (t as Record<string, unknown>).slug) : undefined)).filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim());
    const time = [r.created_at, r.savedAt, r.saved_at, r.time_added, r.date_added, r.createdAt, r.time].find((v) => v !== undefined && v !== null);
    const content = typeof r.content === 'string' && r.content.trim() ? r.content : undefined;
    const title = typeof r.title === 'string' ? r.title : pinboard && typeof r.description === 'string' ? r.description : undefined;
    links.push({ url, title: title?.replace(/\s+/g, ' ').trim() || undefined, tags: [...new Set(tags)], saved: typeof time === 'number' || /^\d+$/.test(String(time ?? '')) ? epochToIso(String(time)) : isoTime(String(time ?? '')), content, line });
  });
  return { format: 'json', links, problems };
}

function splitTags(s: string): string[] {
  const t = s.trim();
  if (t.startsWith('[')) {
    try {
      const a = JSON.parse(t) as unknown;
      if (Array.isArray(a)) return a.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean);
    } catch {
      // not JSON: split below
    }
  }
  return t.split(/[|,]/).map((x) => x.trim()).filter(Boolean);
}

function epochToIso(v: string | undefined): string | undefined {
  if (!v || !/^\d+$/.test(v.trim())) return isoTime(v);
  const n = Number(v.trim());
  // Seconds, or milliseconds when the number is too large to be seconds.
  const d = new Date(n > 1e11 ? n : n * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isoTime(v: string | undefined): string | undefined {
  if (!v?.trim()) return undefined;
  const t = Date.parse(v.trim());
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The links as queue entries: tags and saved time in front matter, the held text converted directly. */
export function importEntries(links: ImportedLink[], file: string): Entry[] {
  return links.map((l) => {
    const front: Record<string, unknown> = {};
    if (l.tags.length) front.tags = l.tags;
    if (l.saved) front.saved = l.saved;
    const entry: Entry = { key: l.url, url: l.url, origin: `${file}:${l.line}`, front };
    if (l.content) {
      let converted: ReturnType<typeof toMarkdown>;
      try {
        converted = toMarkdown(l.content, l.url);
      } catch {
        // The saved text cannot be converted: the page is fetched instead.
        return entry;
      }
      const { markdown, images, placed, unshown } = converted;
      if (markdown.trim()) {
        entry.article = { title: l.title ?? 'Untitled', markdown, images, placed, unshown };
        if (l.title) front.title = l.title;
      }
    }
    return entry;
  });
}
