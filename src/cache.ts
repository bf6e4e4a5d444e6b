// The build cache: rendered chapters, the generated cover and downloads, stored in `.quire-cache/`
// under the hash of everything they depend on (quire's version included), so a rebuild redoes only what
// changed and gives the same bytes as a cold build. Entries are written atomically; an unreadable entry is
// a miss. Every entry carries its kind, size and CRC-32, checked when it is read: a damaged entry (a
// truncated file, a flipped byte) is a miss, removed and made again, never used. Entries no build has used
// lately are pruned, so the folder stays about the size of one book. A long-running process (watch mode)
// also keeps entries decoded in memory, and what a build leaves for the next (the last book of each
// volume, whose unchanged zip entries keep their deflated bytes: `deflate` counts them).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { readRegularFile } from './read.js';

/** Bump when the shape of cached data changes. */
const FORMAT = 2;

/** Every entry starts with MAGIC, its kind (one byte, then three zeros), its size and CRC-32 (each 4 bytes, LE). */
const MAGIC = Buffer.from('QCE2', 'latin1');
const HEADER = 16;
/** Largest entry read back (a chapter of the largest article quire takes, rendered). */
const MAX_ENTRY_BYTES = 1024 * 1024 * 1024;

export type CacheKind = 'chapter' | 'deflate' | 'cover' | 'remote';

export interface CacheStats {
  hits: number;
  misses: number;
}

const KINDS: CacheKind[] = ['chapter', 'deflate', 'cover', 'remote'];

function wrap(kind: CacheKind, data: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header[4] = KINDS.indexOf(kind);
  header.writeUInt32LE(data.length, 8);
  header.writeUInt32LE(zlib.crc32(data) >>> 0, 12);
  return Buffer.concat([header, data]);
}

/** The data of an entry, or undefined when the entry is not whole: another kind, size or CRC-32. */
function unwrap(kind: CacheKind, entry: Buffer): Buffer | undefined {
  if (entry.length < HEADER || !entry.subarray(0, 4).equals(MAGIC) || entry[4] !== KINDS.indexOf(kind)) return undefined;
  const data = entry.subarray(HEADER);
  if (entry.readUInt32LE(8) !== data.length || entry.readUInt32LE(12) !== zlib.crc32(data) >>> 0) return undefined;
  return data;
}

export class Cache {
  /** Per kind; for `deflate`, zip entries taken deflated from the last book (hits) and deflated anew (misses). */
  readonly stats: Record<CacheKind, CacheStats> = {
    chapter: { hits: 0, misses: 0 },
    deflate: { hits: 0, misses: 0 },
    cover: { hits: 0, misses: 0 },
    remote: { hits: 0, misses: 0 },
  };
  private readonly used = new Set<string>();
  /** Entries this build wrote. */
  private written = 0;

  /** Keys of the memory layer this build used. */
  private readonly usedInMemory = new Set<string>();

  /**
   * A cache in `dir`, or a cache that keeps nothing when `dir` is undefined (`--no-cache`). `memory`, kept
   * by a long-running process (watch mode) from build to build, holds what the last build read or made,
   * decoded, so that a rebuild reads from disk only what changed.
   */
  constructor(
    readonly dir: string | undefined,
    private readonly version: string,
    private readonly memory?: Map<string, unknown>,
  ) {}

  /** Whether the cache may hold rendered chapters (false for no cache, or one never written). */
  holdsChapters(): boolean {
    return this.dir !== undefined && fs.existsSync(path.join(this.dir, 'chapter'));
  }

  /** The key of a value computed from `parts` (nothing to compute for a cache that keeps nothing). */
  key(...parts: (string | Uint8Array)[]): string {
    if (!this.dir) return '';
    const h = createHash('sha256');
    h.update(`quire ${this.version} cache ${FORMAT}\0`);
    for (const p of parts) {
      if (typeof p === 'string') h.update(p, 'utf8');
      else h.update(p);
      h.update('\0');
    }
    return h.digest('hex');
  }

  private file(kind: CacheKind, key: string): string {
    return path.join(this.dir!, kind, key.slice(0, 2), key);
  }

  get(kind: CacheKind, key: string): Buffer | undefined {
    if (!this.dir) return undefined;
    const file = this.file(kind, key);
    // A regular file only: a FIFO or a link to a device in the cache folder must not hang the build.
    const read = readRegularFile(file, MAX_ENTRY_BYTES);
    const data = read.ok ? unwrap(kind, read.bytes) : undefined;
    if (data === undefined) {
      // Damaged: removed, so that it is made again and stored whole.
      if (read.ok || read.code !== 'ENOENT') fs.rmSync(file, { force: true });
      this.stats[kind].misses++;
      return undefined;
    }
    this.stats[kind].hits++;
    this.used.add(file);
    return data;
  }

  put(kind: CacheKind, key: string, data: Uint8Array): void {
    if (!this.dir) return;
    const file = this.file(kind, key);
    this.used.add(file);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, wrap(kind, data));
      fs.renameSync(tmp, file);
      this.written++;
    } catch {
      // A cache that cannot be written only makes the next build slower.
    }
  }

  /**
   * Values for `keys`: those the cache holds (decoded), the others computed together by `compute`
   * (given their indexes) and stored (encoded). An entry that cannot be decoded is computed again.
   */
  async through<T>(
    kind: CacheKind,
    keys: readonly string[],
    codec: { decode(data: Buffer, index: number): T; encode(value: T): Uint8Array },
    compute: (missing: number[]) => Promise<T[]>,
  ): Promise<T[]> {
    const results = keys.map((k, i): T | undefined => {
      const remembered = this.recall<T>(kind, k);
      if (remembered !== undefined) return remembered;
      const data = this.get(kind, k);
      try {
        return data === undefined ? undefined : this.remember(kind, k, codec.decode(data, i));
      } catch {
        return undefined;
      }
    });
    const missing = results.flatMap((r, i) => (r === undefined ? [i] : []));
    const fresh = await compute(missing);
    fresh.forEach((value, j) => {
      results[missing[j]!] = this.remember(kind, keys[missing[j]!]!, value);
      // Encoded only for a cache that keeps it: a chapter's encoding is as big as the chapter.
      if (this.dir) this.put(kind, keys[missing[j]!]!, codec.encode(value));
    });
    return results as T[];
  }

  /** A decoded value from the memory layer (counted as a hit, and its file kept by prune). */
  private recall<T>(kind: CacheKind, key: string): T | undefined {
    if (!this.memory || !this.dir) return undefined;
    const id = `${kind}/${key}`;
    const value = this.memory.get(id) as T | undefined;
    if (value === undefined) return undefined;
    this.usedInMemory.add(id);
    this.used.add(this.file(kind, key));
    this.stats[kind].hits++;
    return value;
  }

  private remember<T>(kind: CacheKind, key: string, value: T): T {
    if (this.memory && this.dir) {
      this.memory.set(`${kind}/${key}`, value);
      this.usedInMemory.add(`${kind}/${key}`);
    }
    return value;
  }

  /** Whether what a build leaves for the next (`carry`) is kept: in a long-running process with a cache folder. */
  get carries(): boolean {
    return this.memory !== undefined && this.dir !== undefined;
  }

  /**
   * What the last build of this process left under `name` for the next (watch mode: see `carry`), or
   * undefined. Kept in memory only, and only with a cache folder, as the memory layer is.
   */
  carried<T>(name: string): T | undefined {
    return this.carries ? (this.memory!.get(`carry/${name}`) as T | undefined) : undefined;
  }

  /** Leave `value` under `name` for the next build of this process (a cache that keeps nothing keeps none). */
  carry(name: string, value: unknown): void {
    if (!this.carries) return;
    this.memory!.set(`carry/${name}`, value);
    this.usedInMemory.add(`carry/${name}`);
  }

  /** After a build: the memory layer keeps only what this build used. */
  forgetUnused(): void {
    if (!this.memory) return;
    for (const id of this.memory.keys()) if (!this.usedInMemory.has(id)) this.memory.delete(id);
  }

  /** After a build: drop entries this build did not use once they outnumber those it did. */
  prune(): void {
    if (!this.dir || !fs.existsSync(this.dir)) return;
    // In a long-running process the folder is read again only when it may hold more unused entries than
    // used ones: it holds at most what the last reading found plus what was written since (reading 1,000
    // entries' folders took 10-15 ms of every watch-mode rebuild).
    const last = this.carried<{ total: number; written: number }>('prune');
    if (last && last.total + last.written + this.written <= 2 * this.used.size) {
      this.carry('prune', { total: last.total, written: last.written + this.written });
      return;
    }
    const unused: string[] = [];
    let total = 0;
    const kinds = Object.keys(this.stats);
    // Kinds an older quire kept (front matter, once) are dropped whole.
    for (const name of fs.readdirSync(this.dir)) if (!kinds.includes(name)) fs.rmSync(path.join(this.dir, name), { recursive: true, force: true });
    for (const kind of kinds as CacheKind[]) {
      const base = path.join(this.dir, kind);
      if (!fs.existsSync(base)) continue;
      for (const shard of fs.readdirSync(base)) {
        for (const name of fs.readdirSync(path.join(base, shard))) {
          const file = path.join(base, shard, name);
          total++;
          if (!this.used.has(file)) unused.push(file);
        }
      }
    }
    const drop = unused.length > total - unused.length;
    if (drop) for (const f of unused) fs.rmSync(f, { force: true });
    this.carry('prune', { total: drop ? total - unused.length : total, written: 0 });
  }
}
