// The network seam: downloads the remote images articles refer to, so the book reads offline.
// Bounded in every way: a pool of concurrent requests, a timeout and a size cap per request, a few
// redirects, two retries. Requests never go to loopback, link-local or private addresses (URLs in
// articles come from anywhere) unless allowed. A host that cannot be reached is not asked again in the
// same build, so a machine without network finishes quickly. Downloads are kept in the build cache.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import type { Cache } from './cache.js';

export interface RemoteOptions {
  /** Use only what the cache holds; never touch the network. */
  offline?: boolean;
  /** Allow loopback and private addresses (for local servers and tests). */
  allowPrivateNetwork?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  retries?: number;
  concurrency?: number;
  /**
   * Time for all the downloads of one build, from the first: past it, the images not yet downloaded are
   * left out (each with its warning), so that many silent hosts cannot hold a build for minutes.
   */
  totalTimeoutMs?: number;
}

export type Download =
  | { ok: true; bytes: Buffer; contentType?: string; url?: string; headers?: http.IncomingHttpHeaders }
  | { ok: false; reason: string; status?: number; retryAfter?: number };

/** The longest `Retry-After` waited for; a server asking for more is reported as failing. */
export const MAX_RETRY_AFTER_S = 60;

const DEFAULTS = { timeoutMs: 10_000, maxBytes: 25 * 1024 * 1024, maxRedirects: 5, retries: 2, concurrency: 8, totalTimeoutMs: 30_000 };

class Refused extends Error {}

interface RequestOptions {
  allowPrivate?: boolean;
  maxBytes?: number;
  accept?: string;
  /** More request headers (conditional requests: If-None-Match, If-Modified-Since). */
  headers?: Record<string, string>;
  /** Ask for gzip, deflate or brotli and decode it. */
  compressed?: boolean;
}

/**
 * Whether an IP address is loopback, private, link-local or otherwise not on the public internet. IPv6
 * addresses that carry an IPv4 address (IPv4-mapped `::ffff:127.0.0.1` and `::ffff:7f00:1`,
 * IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo) are judged by the IPv4 address they carry.
 */
export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) return isPrivateIPv4(address.split('.').map(Number));
  const g = ipv6Groups(address);
  // Not an address quire can read: refused, to be safe.
  if (!g) return true;
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(5) && (g[5] === 0xffff || g[5] === 0)) return g[5] === 0 && g[6] === 0 && g[7]! <= 1 ? true : isPrivateIPv4(v4(g[6]!, g[7]!)); // mapped, compatible, ::, ::1
  if (zeros(4) && g[4] === 0xffff && g[5] === 0) return isPrivateIPv4(v4(g[6]!, g[7]!)); // IPv4-translated ::ffff:0:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b) return g[2] !== 0 || g[3] !== 0 || g[4] !== 0 || g[5] !== 0 ? true : isPrivateIPv4(v4(g[6]!, g[7]!)); // NAT64 (64:ff9b:1::/48 is local)
  if (g[0] === 0x2002) return isPrivateIPv4(v4(g[1]!, g[2]!)); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return isPrivateIPv4(v4(g[2]!, g[3]!)) || isPrivateIPv4(v4(~g[6]! & 0xffff, ~g[7]! & 0xffff)); // Teredo: server, client
  if (g[0] === 0x2001 && g[1] === 0xdb8) return true; // documentation
  if (g[0] === 0x100 && zeros(4)) return true; // discard-only
  const top = g[0]!;
  return (top & 0xfe00) === 0xfc00 || (top & 0xffc0) === 0xfe80 || (top & 0xffc0) === 0xfec0 || (top & 0xff00) === 0xff00 || zeros(1) /* ::/16 other than the above */;
}

function isPrivateIPv4([a, b, c]: number[]): boolean {
  return (
    a === 0 || a === 10 || a === 127 || (a === 100 && b! >= 64 && b! < 128) || (a === 169 && b === 254) || (a === 172 && b! >= 16 && b! < 32) || (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113) || a! >= 224
  );
}

/** The eight 16-bit groups of an IPv6 address (with `::`, an IPv4 tail or a zone), or undefined. */
export function ipv6Groups(address: string): number[] | undefined {
  let text = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  if (!net.isIPv6(text)) return undefined;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const part = (s: string) => (s ? s.split(':').map((x) => parseInt(x, 16)) : []);
  const first = part(head);
  if (rest === undefined) return first.length === 8 ? first : undefined;
  const last = part(rest);
  return [...first, ...new Array(8 - first.length - last.length).fill(0), ...last];
}

export class Downloader {
  private readonly options: Required<Omit<RemoteOptions, 'offline' | 'allowPrivateNetwork'>> & RemoteOptions;
  private readonly downloads = new Map<string, Promise<Download>>();
  private readonly deadHosts = new Map<string, string>();
  /**
   * Each host is looked up once per build, its answer shared by every request to it: identical lookups
   * in flight at the same time can be dropped by a resolver, and glibc then waits 5 s to ask again.
   */
  private readonly addresses = new Map<string, Promise<dns.LookupAddress[]>>();
  private active = 0;
  private readonly queue: (() => void)[] = [];
  /** When the downloads of this build must be over (set by the first request). */
  private deadline?: number;
  /** Counts for a progress display. */
  readonly counts = { requested: 0, done: 0, failed: 0 };

  constructor(
    options: RemoteOptions,
    private readonly cache: Cache,
    private readonly onProgress?: (counts: Downloader['counts']) => void,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The bytes at `url` (once per URL per build; from the cache when it has them). */
  get(url: string): Promise<Download> {
    let p = this.downloads.get(url);
    if (!p) {
      this.counts.requested++;
      p = this.fetchCached(url).then((d) => {
        this.counts.done++;
        if (!d.ok) this.counts.failed++;
        this.onProgress?.(this.counts);
        return d;
      });
      this.downloads.set(url, p);
    }
    return p;
  }

  private async fetchCached(url: string): Promise<Download> {
    const key = this.cache.key('remote', url);
    const cached = this.cache.get('remote', key);
    if (cached) return { ok: true, bytes: cached };
    if (this.options.offline) return { ok: false, reason: 'not downloaded before, and the build is offline' };
    this.deadline ??= Date.now() + this.options.totalTimeoutMs;
    const result = await this.withSlot(() => (this.timeLeft() > 0 ? this.fetchWithRetries(url) : Promise.resolve(this.outOfTime())));
    if (result.ok) this.cache.put('remote', key, result.bytes);
    return result;
  }

  /** Give the downloads from now on the whole total time again (`quire add`: each page has its own). */
  restartBudget(): void {
    this.deadline = undefined;
  }

  /** Milliseconds left for this build's downloads (always some for a page `quire add` was asked for). */
  private timeLeft(): number {
    return this.deadline === undefined ? Infinity : this.deadline - Date.now();
  }

  private outOfTime(): Download {
    return { ok: false, reason: `the ${this.options.totalTimeoutMs / 1000} s this build gives all its downloads ran out` };
  }

  private async withSlot<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.options.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  private async fetchWithRetries(url: string, how: RequestOptions = {}): Promise<Download> {
    let last: Download = { ok: false, reason: 'not tried' };
    for (let attempt = 0; attempt <= this.options.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200 * attempt));
      if (this.timeLeft() <= 0) return this.outOfTime();
      last = await this.fetchFollowing(url, how);
      if (last.ok) return last;
      // A server that says when to come back (429, 503 with Retry-After) is asked again then, within reason.
      if (last.retryAfter !== undefined && last.retryAfter <= MAX_RETRY_AFTER_S && attempt < this.options.retries) {
        await new Promise((r) => setTimeout(r, last.ok ? 0 : (last.retryAfter ?? 0) * 1000));
        continue;
      }
      // Only failures that may pass are tried again: a server error or a dropped connection.
      if (last.retryAfter !== undefined || !/^(HTTP 5\d\d|connection (reset|closed))/.test(last.reason)) return last;
    }
    return last;
  }

  /**
   * Fetch a page the user asked for by URL (`quire add`): no cache, and its address may be local, since
   * the user chose it; what the page refers to goes through get() and its rules.
   */
  fetchPage(url: string, maxBytes: number): Promise<Download> {
    return this.fetchWithRetries(url, { allowPrivate: true, maxBytes, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1' });
  }

  /**
   * Fetch a document quire was pointed at indirectly (a feed, the pages a feed or an export file lists): no
   * cache, compressed transfer allowed, extra headers for conditional requests; a 304 comes back as a
   * failure with `status: 304`. Private addresses only with `allowPrivateNetwork`.
   */
  fetchDocument(url: string, how: { maxBytes: number; accept: string; headers?: Record<string, string> }): Promise<Download> {
    if (this.options.offline) return Promise.resolve({ ok: false, reason: 'the build is offline' });
    return this.fetchWithRetries(url, { ...how, allowPrivate: this.options.allowPrivateNetwork ?? false, compressed: true });
  }

  private async fetchFollowing(start: string, how: RequestOptions): Promise<Download> {
    let url = start;
    for (let hop = 0; hop <= this.options.maxRedirects; hop++) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return { ok: false, reason: 'not a valid URL' };
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, reason: `${parsed.protocol} URLs are not downloaded` };
      const dead = this.deadHosts.get(parsed.host);
      if (dead) return { ok: false, reason: dead };
      const response = await this.request(parsed, how);
      if ('redirect' in response) {
        url = new URL(response.redirect, parsed).href;
        continue;
      }
      if (!response.ok && 'hostDown' in response) this.deadHosts.set(parsed.host, response.reason);
      return response.ok ? { ...response, url: parsed.href } : response;
    }
    return { ok: false, reason: `more than ${this.options.maxRedirects} redirects` };
  }

  private request(url: URL, how: RequestOptions): Promise<Download | { redirect: string } | { ok: false; reason: string; hostDown: true }> {
    const left = this.timeLeft();
    const timeoutMs = Math.max(1, Math.min(this.options.timeoutMs, left));
    const outOfTime = left < this.options.timeoutMs;
    const maxBytes = how.maxBytes ?? this.options.maxBytes;
    const allowPrivateNetwork = how.allowPrivate ?? this.options.allowPrivateNetwork;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host) && !allowPrivateNetwork && isPrivateAddress(host)) {
      return Promise.resolve({ ok: false, reason: `${host} is a private or local address, which is refused unless private addresses are allowed` });
    }
    const lookup: net.LookupFunction = (hostname, options, callback) => {
      const family = (options as dns.LookupAllOptions).family ?? 0;
      const key = `${family}\u0000${hostname}`;
      let found = this.addresses.get(key);
      if (!found) {
        found = new Promise((resolve, reject) => dns.lookup(hostname, { family, all: true }, (err, list) => (err ? reject(err) : resolve(list))));
        this.addresses.set(key, found);
      }
      const answer = (err: Error | null, list: dns.LookupAddress[]) => {
        if (err) return (callback as (e: Error) => void)(err);
        const usable = allowPrivateNetwork ? list : list.filter((a) => !isPrivateAddress(a.address));
        if (usable.length === 0) return (callback as (e: Error) => void)(new Refused(`${hostname} resolves to a private or local address, which is refused unless private addresses are allowed`));
        if ((options as dns.LookupAllOptions).all) (callback as (e: null, a: dns.LookupAddress[]) => void)(null, usable);
        else (callback as (e: null, a: string, f: number) => void)(null, usable[0]!.address, usable[0]!.family);
      };
      found.then((list) => answer(null, list), (err: Error) => answer(err, []));
    };
    return new Promise((resolve) => {
      const get = url.protocol === 'https:' ? https.get : http.get;
      const headers = { 'user-agent': 'quire (ebook builder)', accept: how.accept ?? 'image/*,*/*;q=0.5', 'accept-encoding': how.compressed ? 'gzip, deflate, br' : 'identity', ...how.headers };
      const req = get(url, { lookup, headers, timeout: timeoutMs }, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          return resolve({ redirect: res.headers.location });
        }
        if (status !== 200) {
          res.resume();
          if (status === 304) return resolve({ ok: false, reason: 'not modified', status });
          return resolve({ ok: false, reason: `HTTP ${status}`, status, retryAfter: retryAfterSeconds(res.headers['retry-after']) });
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        const encoding = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        // The size cap applies to what the body decodes to, so a small compressed bomb is stopped too.
        const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : undefined;
        // Any other label (`none`, a charset written in the wrong header) is taken as the bytes themselves.
        const body: NodeJS.ReadableStream = decoder ? res.pipe(decoder) : res;
        if (decoder) decoder.on('error', () => resolve({ ok: false, reason: `the ${encoding} body is corrupt` }));
        if (!decoder && declared > maxBytes) {
          req.destroy();
          return resolve({ ok: false, reason: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB` });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        body.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy();
            decoder?.destroy();
            resolve({ ok: false, reason: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB` });
          } else chunks.push(c);
        });
        body.on('end', () => resolve({ ok: true, bytes: Buffer.concat(chunks), contentType: res.headers['content-type'], headers: res.headers }));
        res.on('error', () => resolve({ ok: false, reason: 'connection closed' }));
      });
      // A whole-request deadline as well: `timeout` only covers idle sockets.
      const deadline = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof Refused) return resolve({ ok: false, reason: e.message });
        const code = e.code ?? e.message;
        if (code === 'timeout') return resolve(outOfTime ? this.outOfTime() : { ok: false, reason: `no answer within ${timeoutMs / 1000} s` });
        if (code === 'ECONNRESET') return resolve({ ok: false, reason: 'connection reset' });
        // Unknown host, no route, refused: the rest of this host's images are not tried.
        resolve({ ok: false, reason: `cannot reach ${url.host} (${code})`, hostDown: true });
      });
    });
  }
}

/** `Retry-After`: seconds, or an HTTP date; undefined when absent or unreadable. */
function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.ceil((t - Date.now()) / 1000));
}
