// Serve, stage 3: the HTTP server (Node's own). Routes a request to the catalog, the browser pages or a
// file; files are served with ranges, ETag/Last-Modified and Unicode file names, and never from outside the
// folder. An optional token guards everything (basic auth, which reading apps support, or ?token=).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { listBooks, readZipEntry, realRoot, resolveInside, type BookRecord } from './books.js';
import {
  ACQUISITION_TYPE,
  acquisitionFeed,
  FEEDS,
  navigationFeed,
  OPDS2_TYPE,
  opds2Feed,
  openSearchDescription,
  OPENSEARCH_TYPE,
  search,
  NAVIGATION_TYPE,
  type Href,
} from './opds.js';
import { libraryPage, LIVE_JS, READER_JS, readerPage, STYLE } from './pages.js';

export interface ServeOptions {
  /** The folder of books (default `output`). */
  folder?: string;
  /** The address to listen on (default 127.0.0.1, this machine only). */
  host?: string;
  /** 0 picks a free port (default 8080). */
  port?: number;
  /** When set, every request must give it: as the password of basic auth, or as `?token=`. */
  token?: string;
  /** The catalog's title (default: the folder's name). */
  title?: string;
  /** Entries in one page of an acquisition feed (default 50). */
  pageSize?: number;
}

export interface Server {
  /** The server's own URL, e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  /** Tell the open pages that these books (keys, or all) changed: they reload. */
  notify(books?: string[]): void;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_PAGE_SIZE = 50;
const COOKIE = 'quire_token';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const require = createRequire(import.meta.url);
const ASSET_FILES: Record<string, string> = {
  '/assets/epub.min.js': path.join(path.dirname(require.resolve('epubjs/package.json')), 'dist', 'epub.min.js'),
  '/assets/jszip.min.js': path.join(path.dirname(require.resolve('jszip/package.json')), 'dist', 'jszip.min.js'),
};
const ASSET_TEXT: Record<string, [string, string]> = {
  '/assets/quire.css': ['text/css; charset=utf-8', STYLE],
  '/assets/reader.js': ['text/javascript; charset=utf-8', READER_JS],
  '/assets/live.js': ['text/javascript; charset=utf-8', LIVE_JS],
};

export async function serve(options: ServeOptions = {}): Promise<Server> {
  const folder = path.resolve(options.folder ?? 'output');
  fs.mkdirSync(folder, { recursive: true });
  const root = realRoot(folder);
  const title = options.title ?? `Books in ${path.basename(folder)}`;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const listeners = new Set<http.ServerResponse>();
  const thumbnails = new Map<string, { stamp: string; data: Buffer }>();

  const loopbackOnly = LOOPBACK.has(options.host ?? '127.0.0.1');
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    // A server for this machine only answers requests addressed to this machine: a web page whose name
    // was pointed at 127.0.0.1 (DNS rebinding) must not read the books through the visitor's browser.
    if (loopbackOnly && !LOOPBACK.has((req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase())) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('this server answers only requests for localhost\n');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = authorize(req, url, options.token);
    if (!auth.ok) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="quire", charset="UTF-8"', 'content-type': 'text/plain; charset=utf-8' });
      return res.end('a token is needed: give it as the password (any user name) or as ?token=\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      return res.end();
    }
    // Links carry the token when the client gave it in the URL (an app without basic auth would lose it).
    const href: Href = (p, query = {}) => {
      const q = new URLSearchParams({ ...query, ...(auth.viaQuery ? { token: options.token! } : {}) }).toString();
      return q ? `${p}?${q}` : p;
    };
    if (auth.viaQuery && !url.pathname.startsWith('/opds') && !url.pathname.startsWith('/books/')) {
      // A browser that opened the printed URL keeps the token for the reader's own requests.
      res.setHeader('set-cookie', `${COOKIE}=${encodeURIComponent(options.token!)}; Path=/; HttpOnly; SameSite=Strict`);
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return notFound(res);
    }
    const page = Math.max(1, Math.min(1e6, Number.parseInt(url.searchParams.get('page') ?? '1', 10) || 1));
    const base = `http://${req.headers.host ?? 'localhost'}`;

    if (pathname === '/events') return events(req, res);
    if (ASSET_FILES[pathname]) return sendFile(req, res, ASSET_FILES[pathname]!, 'text/javascript; charset=utf-8');
    if (ASSET_TEXT[pathname]) return sendText(req, res, ...ASSET_TEXT[pathname]!);
    if (pathname === '/') return sendText(req, res, 'text/html; charset=utf-8', libraryPage(sortedForPage(listBooks(root)), title, href), true);
    if (pathname === '/read') {
      const book = listBooks(root).find((b) => b.key === url.searchParams.get('book'));
      return book ? sendText(req, res, 'text/html; charset=utf-8', readerPage(book, href), true) : notFound(res);
    }
    if (pathname === '/opds' || pathname === '/opds/') return sendText(req, res, NAVIGATION_TYPE, navigationFeed(listBooks(root), href, title), true);
    for (const [name, feed] of Object.entries(FEEDS)) {
      if (pathname === feed.path) return sendText(req, res, ACQUISITION_TYPE, acquisitionFeed(feed.sort(listBooks(root)), { number: page, size: pageSize }, href, { id: `urn:quire:${name}`, title: feed.title, path: feed.path }), true);
    }
    if (pathname === '/opds/search') {
      const q = url.searchParams.get('q') ?? '';
      return sendText(req, res, ACQUISITION_TYPE, acquisitionFeed(search(listBooks(root), q), { number: page, size: pageSize }, href, { id: `urn:quire:search:${encodeURIComponent(q)}`, title: `Search: ${q}`, path: '/opds/search', query: { q } }), true);
    }
    if (pathname === '/opds/opensearch.xml') return sendText(req, res, OPENSEARCH_TYPE, openSearchDescription(base, href, title), true);
    if (pathname === '/opds/v2' || pathname === '/opds/v2/search') {
      const books = pathname === '/opds/v2' ? listBooks(root) : search(listBooks(root), url.searchParams.get('q') ?? '');
      return sendText(req, res, OPDS2_TYPE, `${JSON.stringify(opds2Feed(books, { number: page, size: pageSize }, href, title), null, 1)}\n`, true);
    }
    if (pathname.startsWith('/books/')) {
      const rel = pathname.slice('/books/'.length);
      const file = /\.epub$/i.test(rel) ? resolveInside(root, rel) : undefined;
      if (!file) return notFound(res);
      return sendFile(req, res, file, /\.kepub\.epub$/i.test(rel) ? 'application/kepub+zip' : 'application/epub+zip', path.posix.basename(rel));
    }
    if (pathname.startsWith('/covers/') || pathname.startsWith('/thumbnails/')) {
      const thumbnail = pathname.startsWith('/thumbnails/');
      const key = pathname.slice(thumbnail ? '/thumbnails/'.length : '/covers/'.length);
      const book = listBooks(root).find((b) => b.key === key);
      if (!book?.cover) return notFound(res);
      const file = resolveInside(root, book.cover.file);
      const stat = file && fs.statSync(file);
      const image = file && readZipEntry(file, book.cover.entry);
      if (!stat || !image) return notFound(res);
      if (!thumbnail) return sendBytes(req, res, image, book.cover.type, stat.mtime);
      const stamp = `${file}:${stat.size}:${stat.mtimeMs}`;
      let thumb = thumbnails.get(key);
      if (thumb?.stamp !== stamp) {
        const { thumbnailJpeg } = await import('../images.js');
        try {
          thumb = { stamp, data: await thumbnailJpeg(image) };
        } catch {
          return notFound(res); // a cover no image library can read has no thumbnail; the cover itself is still served
        }
        thumbnails.set(key, thumb);
      }
      return sendBytes(req, res, thumb.data, 'image/jpeg', stat.mtime);
    }
    return notFound(res);
  };

  const events = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    listeners.add(res);
    // A comment now and then keeps the connection open through routers that drop idle ones.
    const ping = setInterval(() => res.write(':\n\n'), 25_000);
    ping.unref();
    req.on('close', () => {
      clearInterval(ping);
      listeners.delete(res);
    });
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    notify(books) {
      const data = JSON.stringify({ books: books ?? listBooks(root).map((b) => b.key) });
      for (const res of listeners) res.write(`event: change\ndata: ${data}\n\n`);
    },
    async close() {
      for (const res of listeners) res.end();
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** The library page: newest first, as the catalog's first feed. */
function sortedForPage(books: BookRecord[]): BookRecord[] {
  return FEEDS.new.sort(books);
}

function authorize(req: http.IncomingMessage, url: URL, token: string | undefined): { ok: boolean; viaQuery?: boolean } {
  if (!token) return { ok: true };
  const same = (given: string) => {
    const a = crypto.createHash('sha256').update(given).digest();
    const b = crypto.createHash('sha256').update(token).digest();
    return crypto.timingSafeEqual(a, b);
  };
  const query = url.searchParams.get('token');
  if (query !== null && same(query)) return { ok: true, viaQuery: true };
  const header = req.headers.authorization ?? '';
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    if (same(decoded.slice(decoded.indexOf(':') + 1))) return { ok: true };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer && same(bearer[1]!)) return { ok: true };
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) {
      try {
        if (same(decodeURIComponent(value.join('=')))) return { ok: true };
      } catch {
        // a damaged cookie is no token
      }
    }
  }
  return { ok: false };
}

function notFound(res: http.ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}

function sendText(req: http.IncomingMessage, res: http.ServerResponse, type: string, body: string, fresh = false): void {
  const data = Buffer.from(body, 'utf8');
  const etag = `"${crypto.createHash('sha1').update(data).digest('base64url')}"`;
  const headers: http.OutgoingHttpHeaders = { 'content-type': type, etag, 'cache-control': fresh ? 'no-cache' : 'max-age=0, must-revalidate' };
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, { ...headers, 'content-length': data.length });
  res.end(req.method === 'HEAD' ? undefined : data);
}

function sendBytes(req: http.IncomingMessage, res: http.ServerResponse, data: Buffer, type: string, modified: Date): void {
  const etag = `"${crypto.createHash('sha1').update(data).digest('base64url')}"`;
  const headers: http.OutgoingHttpHeaders = { 'content-type': type, etag, 'last-modified': modified.toUTCString(), 'cache-control': 'no-cache' };
  if (matches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    return void res.end();
  }
  res.writeHead(200, { ...headers, 'content-length': data.length });
  res.end(req.method === 'HEAD' ? undefined : data);
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
}

/** `attachment` with an ASCII fallback name and the real one in UTF-8 (RFC 6266 and RFC 8187). */
export function contentDisposition(name: string): string {
  const ascii = name.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_').trim() || 'book.epub';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return ascii === name ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A file with validators and byte ranges (one range; several are answered with the whole file). */
function sendFile(req: http.IncomingMessage, res: http.ServerResponse, file: string, type: string, downloadName?: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return notFound(res);
  }
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}-${stat.ino.toString(16)}"`;
  const modified = new Date(Math.floor(stat.mtimeMs / 1000) * 1000);
  const headers: http.OutgoingHttpHeaders = {
    'content-type': type,
    etag,
    'last-modified': modified.toUTCString(),
    'accept-ranges': 'bytes',
    'cache-control': 'no-cache',
  };
  if (downloadName) headers['content-disposition'] = contentDisposition(downloadName);
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  if (inm ? matches(inm, etag) : ims !== undefined && !Number.isNaN(Date.parse(ims)) && modified.getTime() <= Date.parse(ims)) {
    res.writeHead(304, headers);
    return void res.end();
  }
  let start = 0;
  let end = stat.size - 1;
  let status = 200;
  const range = req.headers.range;
  const ifRange = req.headers['if-range'];
  const rangeApplies = range !== undefined && (ifRange === undefined || ifRange === etag || ifRange === modified.toUTCString());
  if (rangeApplies) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (m && (m[1] || m[2])) {
      if (m[1]) {
        start = Number(m[1]);
        end = m[2] ? Math.min(Number(m[2]), stat.size - 1) : stat.size - 1;
      } else {
        start = Math.max(0, stat.size - Number(m[2]));
      }
      if (start > end || start >= stat.size) {
        res.writeHead(416, { 'content-range': `bytes */${stat.size}`, 'accept-ranges': 'bytes' });
        return void res.end();
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${stat.size}`;
    }
  }
  headers['content-length'] = stat.size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || stat.size === 0) return void res.end();
  const stream = fs.createReadStream(file, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
