// `quire check`: quire's own checks on any EPUB (not only quire's): the container, the package against the
// zip, navigation that resolves to content in reading order, well-formed XHTML, ids, languages, images,
// no remote resources or scripts; a Kindle preflight and accessibility rules in the spirit of DAISY Ace;
// and EPUBCheck's messages when Java and its jar are there. The EPUB is only read, never extracted.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { isLanguageTag } from '../articles/front-matter.js';
import { sniffImage } from '../images.js';
import { KINDLE_MAX_BYTES } from '../model.js';
import { readCentralDirectory, readEntry, ZipError, type ZipEntry } from './zip.js';

export type CheckSeverity = 'error' | 'warning';

export interface Finding {
  severity: CheckSeverity;
  code: string;
  message: string;
  /** The file inside the EPUB, when the finding concerns one. */
  entry?: string;
  line?: number;
  column?: number;
  /** Which checker found it. */
  by: 'quire' | 'kindle' | 'kobo' | 'accessibility' | 'epubcheck';
}

export interface CheckOptions {
  /** Run EPUBCheck too when it is installed (default true). */
  epubcheck?: boolean;
  epubcheckJar?: string;
}

export const DEFAULT_EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';

interface Parsed {
  ok: boolean;
  root?: XmlNode;
}

interface XmlNode {
  name: string;
  local: string;
  uri: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
  line: number;
  column: number;
}

export async function checkEpub(file: string, options: CheckOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (f: Omit<Finding, 'by'> & { by?: Finding['by'] }) => findings.push({ by: 'quire', ...f });
  let zip: Buffer;
  try {
    zip = fs.readFileSync(file);
  } catch (e) {
    add({ severity: 'error', code: 'check-unreadable', message: `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return findings;
  }
  let entries: ZipEntry[];
  try {
    entries = readCentralDirectory(zip);
  } catch (e) {
    add({ severity: 'error', code: 'check-zip', message: (e as Error).message });
    return findings;
  }
  for (const e of entries) {
    if (e.name.startsWith('/') || e.name.split('/').includes('..') || /^[a-z]:/i.test(e.name) || e.name.includes('\\')) {
      add({ severity: 'error', code: 'check-zip-path', message: `entry name ${JSON.stringify(e.name)} leads out of the book (an absolute path or ..)` });
    }
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const read = (name: string): Buffer | undefined => {
    const e = byName.get(name);
    if (!e) return undefined;
    try {
      return readEntry(zip, e);
    } catch (err) {
      add({ severity: 'error', code: 'check-zip', message: (err as Error).message, entry: name });
      return undefined;
    }
  };

  // Container.
  const first = entries[0];
  if (!first || first.name !== 'mimetype' || first.method !== 0 || read('mimetype')?.toString('latin1') !== 'application/epub+zip') {
    add({ severity: 'error', code: 'check-mimetype', message: 'the first entry must be an uncompressed `mimetype` holding `application/epub+zip`' });
  }
  const container = parseXml(read('META-INF/container.xml'), 'META-INF/container.xml', add);
  const opfPath = container.root && find(container.root, (n) => n.local === 'rootfile')?.attrs['full-path'];
  if (!opfPath) {
    add({ severity: 'error', code: 'check-container', message: 'META-INF/container.xml names no package document', entry: 'META-INF/container.xml' });
    return finish(findings, file, options);
  }
  const opf = parseXml(read(opfPath), opfPath, add);
  if (!opf.root) {
    if (!byName.has(opfPath)) add({ severity: 'error', code: 'check-container', message: `the package document ${opfPath} is missing`, entry: opfPath });
    return finish(findings, file, options);
  }
  const base = path.posix.dirname(opfPath);
  const resolve = (from: string, href: string) => path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURIComponent(href.split('#')[0]!)));

  // Package: metadata, manifest against the zip, spine.
  const metadata = find(opf.root, (n) => n.local === 'metadata');
  const languages = metadata ? all(metadata, (n) => n.local === 'language').map((n) => n.text.trim()) : [];
  if (languages.length === 0) add({ severity: 'error', code: 'check-language', message: 'no dc:language in the package', entry: opfPath });
  for (const l of languages) if (!isLanguageTag(l)) add({ severity: 'error', code: 'check-language', message: `dc:language \`${l}\` is not a language tag`, entry: opfPath, by: 'kindle' });
  const items = all(opf.root, (n) => n.local === 'item').map((n) => ({ id: n.attrs.id ?? '', href: n.attrs.href ?? '', type: n.attrs['media-type'] ?? '', properties: (n.attrs.properties ?? '').split(/\s+/), node: n }));
  const manifestPaths = new Set<string>();
  for (const item of items) {
    const p = path.posix.normalize(path.posix.join(base, decodeURIComponent(item.href)));
    manifestPaths.add(p);
    if (/^[a-z][a-z0-9+.-]*:/i.test(item.href)) add({ severity: 'error', code: 'check-remote', message: `the manifest refers to a remote resource: ${item.href}`, entry: opfPath, line: item.node.line });
    else if (!byName.has(p)) add({ severity: 'error', code: 'check-manifest-missing', message: `manifest item ${item.href} is not in the zip`, entry: opfPath, line: item.node.line });
  }
  for (const e of entries) {
    if (e.name.endsWith('/') || e.name === 'mimetype' || e.name.startsWith('META-INF/') || e.name === opfPath) continue;
    if (!manifestPaths.has(e.name)) add({ severity: 'warning', code: 'check-manifest-extra', message: `${e.name} is in the zip but not in the manifest`, entry: e.name });
  }
  const spine = all(opf.root, (n) => n.local === 'itemref').map((n) => n.attrs.idref ?? '');
  const itemById = new Map(items.map((i) => [i.id, i]));
  for (const idref of spine) if (!itemById.has(idref)) add({ severity: 'error', code: 'check-spine', message: `spine item \`${idref}\` is not in the manifest`, entry: opfPath });
  const readingOrder = spine.map((id) => itemById.get(id)).filter((i) => i !== undefined).map((i) => path.posix.normalize(path.posix.join(base, decodeURIComponent(i.href))));

  // Content documents.
  const ids = new Map<string, Set<string>>();
  const bodyIds = new Map<string, string | undefined>();
  let images = 0;
  let imagesWithoutAlt = 0;
  // Kobo: which content documents have Kobo spans, and which have text without them.
  const spanned: string[] = [];
  const unspanned: string[] = [];
  for (const item of items) {
    const p = path.posix.normalize(path.posix.join(base, decodeURIComponent(item.href)));
    const bytes = byName.has(p) ? read(p) : undefined;
    if (!bytes) continue;
    if (item.type.startsWith('image/')) {
      const type = await sniffImage(bytes);
      if (type && type.mediaType !== item.type) add({ severity: 'error', code: 'check-media-type', message: `${item.href} is listed as ${item.type} but its bytes are ${type.mediaType}`, entry: opfPath, line: item.node.line });
      if (!['image/jpeg', 'image/png', 'image/gif', 'image/svg+xml'].includes(item.type)) add({ severity: 'error', code: 'kindle-image-type', message: `${item.href}: ${item.type} is not shown by Kindle`, entry: p, by: 'kindle' });
    }
    if (item.type !== 'application/xhtml+xml') continue;
    if (!/^\s*<\?xml[^>]+encoding=["']utf-8["']/i.test(bytes.subarray(0, 200).toString('utf8').replace(/^\ufeff/, ''))) {
      add({ severity: 'warning', code: 'kindle-xml-declaration', message: 'no XML declaration with encoding="UTF-8": Send-to-Kindle may misread the text', entry: p, by: 'kindle' });
    }
    const doc = parseXml(bytes, p, add);
    if (!doc.root) continue;
    const seen = new Set<string>();
    let koboSpans = 0;
    walk(doc.root, (n) => {
      if (n.local === 'span' && (n.attrs.class ?? '').split(/\s+/).includes('koboSpan')) {
        koboSpans++;
        if (!/^kobo\.\d+\.\d+$/.test(n.attrs.id ?? '')) add({ severity: 'error', code: 'kobo-span-id', message: `a Kobo span whose id ${n.attrs.id === undefined ? 'is missing' : `\`${n.attrs.id}\``} is not kobo.<block>.<sentence>`, entry: p, line: n.line, column: n.column, by: 'kobo' });
      }
      const id = n.attrs.id;
      if (id !== undefined) {
        if (seen.has(id)) add({ severity: 'error', code: 'check-duplicate-id', message: `id \`${id}\` is used twice`, entry: p, line: n.line, column: n.column });
        seen.add(id);
      }
      if (n.local === 'script' || Object.keys(n.attrs).some((a) => /^on/i.test(a))) add({ severity: 'error', code: 'check-script', message: `scripting (${n.local === 'script' ? '<script>' : 'an event handler'}) in the book`, entry: p, line: n.line, column: n.column });
      for (const a of ['src', 'href', 'xlink:href', 'poster', 'data']) {
        const v = n.attrs[a];
        if (v === undefined) continue;
        if (/^\s*javascript:/i.test(v)) add({ severity: 'error', code: 'check-script', message: `a javascript: URL`, entry: p, line: n.line, column: n.column });
        const isResource = n.local !== 'a' || a !== 'href';
        if (isResource && /^(https?:)?\/\//i.test(v)) add({ severity: 'error', code: 'check-remote', message: `<${n.local}> loads a remote resource: ${v}`, entry: p, line: n.line, column: n.column });
      }
      if (n.local === 'img') {
        images++;
        if (!n.attrs.src) add({ severity: 'error', code: 'kindle-img-src', message: '<img> without src', entry: p, line: n.line, column: n.column, by: 'kindle' });
        else if (!/^(https?:)?\/\//i.test(n.attrs.src) && !byName.has(resolve(p, n.attrs.src))) add({ severity: 'error', code: 'check-missing-resource', message: `image ${n.attrs.src} is not in the book`, entry: p, line: n.line, column: n.column });
        if (n.attrs.alt === undefined) {
          imagesWithoutAlt++;
          add({ severity: 'error', code: 'a11y-alt', message: '<img> without alt text', entry: p, line: n.line, column: n.column, by: 'accessibility' });
        }
      }
      if (n.local === 'table' && !find(n, (c) => c.local === 'th')) add({ severity: 'warning', code: 'a11y-table-headers', message: 'a table without header cells', entry: p, line: n.line, column: n.column, by: 'accessibility' });
    });
    ids.set(p, seen);
    const html = doc.root;
    if (koboSpans > 0) spanned.push(p);
    else if (!item.properties.includes('nav') && readingOrder.includes(p) && textOfNode(find(html, (n) => n.local === 'body')).trim()) unspanned.push(p);
    const lang = html.attrs['xml:lang'] ?? html.attrs.lang;
    if (!lang) add({ severity: 'error', code: 'check-language', message: 'the document has no lang / xml:lang', entry: p, line: html.line, by: 'accessibility' });
    else if (!isLanguageTag(lang)) add({ severity: 'error', code: 'check-language', message: `lang \`${lang}\` is not a language tag`, entry: p, line: html.line });
    bodyIds.set(p, find(html, (n) => n.local === 'body')?.attrs.id);
    // Headings go down one level at a time (h1 then h2, not h1 then h4).
    let level = 0;
    walk(html, (n) => {
      const m = /^h([1-6])$/.exec(n.local);
      if (!m) return;
      const l = Number(m[1]);
      if (level && l > level + 1) add({ severity: 'warning', code: 'a11y-heading-order', message: `<h${l}> follows <h${level}>: a heading level is skipped`, entry: p, line: n.line, column: n.column, by: 'accessibility' });
      level = l;
    });
  }

  // Navigation: the nav document and the NCX point at content that exists, in the reading order.
  const navItem = items.find((i) => i.properties.includes('nav'));
  const checkTarget = (from: string, href: string, line: number, what: string) => {
    const target = resolve(from, href);
    const fragment = href.includes('#') ? decodeURIComponent(href.slice(href.indexOf('#') + 1)) : undefined;
    if (!byName.has(target)) return add({ severity: 'error', code: 'check-nav-target', message: `${what} points at ${href}, which is not in the book`, entry: from, line });
    if (!readingOrder.includes(target)) add({ severity: 'error', code: 'check-nav-order', message: `${what} points at ${href}, which is not in the reading order`, entry: from, line });
    if (fragment !== undefined && ids.has(target) && !ids.get(target)!.has(fragment)) add({ severity: 'error', code: 'check-nav-target', message: `${what} points at #${fragment}, which ${target} does not have`, entry: from, line });
    if (fragment !== undefined && bodyIds.get(target) === fragment) add({ severity: 'warning', code: 'kindle-body-link', message: `${what} points at the id of <body>: Kindle ignores it`, entry: from, line, by: 'kindle' });
  };
  if (!navItem) add({ severity: 'error', code: 'check-nav', message: 'no navigation document (manifest item with properties="nav")', entry: opfPath });
  else {
    const navPath = path.posix.normalize(path.posix.join(base, decodeURIComponent(navItem.href)));
    const nav = parseXml(read(navPath), navPath, () => undefined);
    const toc = nav.root && find(nav.root, (n) => n.local === 'nav' && (n.attrs['epub:type'] ?? '').split(/\s+/).includes('toc'));
    if (!toc) add({ severity: 'error', code: 'check-nav', message: 'the navigation document has no <nav epub:type="toc">', entry: navPath });
    else for (const a of all(toc, (n) => n.local === 'a' && n.attrs.href !== undefined)) checkTarget(navPath, a.attrs.href!, a.line, 'the table of contents');
  }
  const ncxItem = items.find((i) => i.type === 'application/x-dtbncx+xml');
  if (ncxItem) {
    const ncxPath = path.posix.normalize(path.posix.join(base, decodeURIComponent(ncxItem.href)));
    const ncx = parseXml(read(ncxPath), ncxPath, add);
    if (ncx.root) for (const c of all(ncx.root, (n) => n.local === 'content' && n.attrs.src !== undefined)) checkTarget(ncxPath, c.attrs.src!, c.line, 'the NCX');
  }

  // Accessibility metadata (schema.org), as DAISY Ace asks for it.
  const properties = metadata ? all(metadata, (n) => n.local === 'meta' && !!n.attrs.property).map((n) => n.attrs.property!) : [];
  for (const p of ['schema:accessMode', 'schema:accessModeSufficient', 'schema:accessibilityFeature', 'schema:accessibilityHazard', 'schema:accessibilitySummary']) {
    if (!properties.includes(p)) add({ severity: 'warning', code: 'a11y-metadata', message: `no ${p} in the package metadata`, entry: opfPath, by: 'accessibility' });
  }
  // Kobo's reader takes a book for a KEPUB (highlights, reading statistics) by its name and its spans.
  const kepubName = /\.kepub\.epub$/i.test(file);
  if (spanned.length > 0 && !kepubName) add({ severity: 'warning', code: 'kobo-kepub-name', message: 'the book has Kobo spans but its name does not end in .kepub.epub: Kobo reads it as a plain EPUB', by: 'kobo' });
  if (kepubName) for (const p of unspanned) add({ severity: 'warning', code: 'kobo-no-spans', message: 'text without Kobo spans in a .kepub.epub: no highlights or reading statistics here', entry: p, by: 'kobo' });
  void images;
  void imagesWithoutAlt;
  if (zip.length > KINDLE_MAX_BYTES) add({ severity: 'warning', code: 'kindle-size', message: `the book is ${Math.round(zip.length / 1024 / 1024)} MB; Send-to-Kindle takes ${KINDLE_MAX_BYTES / 1024 / 1024} MB at most`, by: 'kindle' });
  return finish(findings, file, options);
}

async function finish(findings: Finding[], file: string, options: CheckOptions): Promise<Finding[]> {
  if (options.epubcheck !== false) findings.push(...(await runEpubcheck(file, options.epubcheckJar ?? DEFAULT_EPUBCHECK_JAR)));
  return findings;
}

/** EPUBCheck's messages, when Java and its jar are installed; none otherwise. */
async function runEpubcheck(file: string, jar: string): Promise<Finding[]> {
  if (!fs.existsSync(jar)) return [];
  const report = path.join(fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'quire-check-')), 'report.json');
  await new Promise((resolve) => execFile('java', ['-jar', jar, file, '--json', report], { timeout: 300_000, maxBuffer: 1 << 26 }, resolve));
  try {
    const json = JSON.parse(fs.readFileSync(report, 'utf8')) as { messages: { ID: string; severity: string; message: string; locations: { path: string; line: number; column: number }[] }[] };
    return json.messages
      .filter((m) => ['FATAL', 'ERROR', 'WARNING'].includes(m.severity))
      .map((m) => ({
        severity: m.severity === 'WARNING' ? 'warning' : 'error',
        code: `epubcheck-${m.ID}`,
        message: m.message,
        entry: m.locations[0]?.path,
        line: m.locations[0]?.line && m.locations[0].line > 0 ? m.locations[0].line : undefined,
        column: m.locations[0]?.column && m.locations[0].column > 0 ? m.locations[0].column : undefined,
        by: 'epubcheck',
      }));
  } catch {
    return [];
  } finally {
    fs.rmSync(path.dirname(report), { recursive: true, force: true });
  }
}

/** Parse XML strictly (namespaces, no DTD entities), reporting a problem as a finding. */
function parseXml(bytes: Buffer | undefined, entry: string, add: (f: Omit<Finding, 'by'>) => void): Parsed {
  if (!bytes) return { ok: false };
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let failed = false;
  parser.on('doctype', (doctype) => {
    // An internal subset is where entities (billion laughs, external entities) are declared.
    if (doctype.includes('[')) {
      failed = true;
      add({ severity: 'error', code: 'check-xml-entities', message: 'the document declares entities (entity expansion and external entities are not allowed)', entry, line: parser.line });
    }
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const node: XmlNode = { name: tag.name, local: tag.local, uri: tag.uri, attrs: {}, children: [], text: '', line: parser.line, column: parser.column };
    for (const a of Object.values(tag.attributes)) node.attrs[a.prefix && a.prefix !== 'xmlns' ? `${a.prefix}:${a.local}` : a.local] = a.value;
    if (stack.length) stack[stack.length - 1]!.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('text', (t) => {
    if (stack.length) stack[stack.length - 1]!.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('error', (e) => {
    if (!failed) add({ severity: 'error', code: 'check-xml', message: `not well-formed XML: ${e.message.replace(/^\d+:\d+: /, '')}`, entry, line: parser.line, column: parser.column });
    failed = true;
  });
  try {
    parser.write(bytes.toString('utf8').replace(/^\ufeff/, '')).close();
  } catch {
    failed = true;
  }
  return failed ? { ok: false } : { ok: true, root };
}

function walk(n: XmlNode, visit: (n: XmlNode) => void): void {
  const stack = [n];
  while (stack.length) {
    const x = stack.pop()!;
    visit(x);
    for (let i = x.children.length - 1; i >= 0; i--) stack.push(x.children[i]!);
  }
}

function all(n: XmlNode, test: (n: XmlNode) => boolean): XmlNode[] {
  const out: XmlNode[] = [];
  walk(n, (x) => {
    if (test(x)) out.push(x);
  });
  return out;
}

/** All the text in an element, its descendants' included. */
function textOfNode(n: XmlNode | undefined): string {
  let s = '';
  if (n) walk(n, (x) => (s += x.text));
  return s;
}

function find(n: XmlNode, test: (n: XmlNode) => boolean): XmlNode | undefined {
  return all(n, test)[0];
}

export { ZipError };

/** `book.epub/OEBPS/a.xhtml:12:3: error: message [code]` */
export function formatFinding(f: Finding, book: string): string {
  const where = f.entry ? `${book}/${f.entry}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}` : book;
  return `${where}: ${f.severity}: ${f.message} [${f.code}]`;
}
