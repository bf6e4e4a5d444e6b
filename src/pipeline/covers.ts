// Orchestration: the generated covers of a build (epub/cover.ts draws them), through the cache and the workers.
import v8 from 'node:v8';
import type { Cache } from '../cache.js';
import type { DrawnCover } from '../epub/cover.js';
import type { Pool } from '../parallel.js';

/**
 * The generated covers of a build, by title: from the cache, else drawn. A cover can be started early, so
 * that it is drawn before or while the chapters render instead of after them.
 */
export class Covers {
  private readonly made = new Map<string, Promise<DrawnCover>>();

  constructor(
    private readonly authors: string[],
    private readonly cache: Cache,
    private readonly pool: Pool,
  ) {}

  /**
   * Start on the cover for `title` before the chapters are rendered, on another thread (Pool.runAside), so
   * that it is drawn while they render.
   */
  start(title: string): void {
    if (!this.made.has(title)) this.made.set(title, this.make(title));
  }

  /** The cover's PNG, and the characters of its text that it draws as boxes (see drawCover). */
  get(title: string): Promise<DrawnCover> {
    let cover = this.made.get(title);
    if (!cover) this.made.set(title, (cover = this.make(title)));
    return cover;
  }

  /** From the cache, else drawn on another thread. */
  private make(title: string): Promise<DrawnCover> {
    const key = this.cache.key('cover', title, JSON.stringify(this.authors));
    const cached = this.cache.get('cover', key);
    // The PNG and the missing characters are kept together: a cover from the cache warns as a drawn one does.
    const kept = cached && fromCache(cached);
    if (kept) return Promise.resolve(kept);
    const drawn = this.pool.runAside<DrawnCover>({ kind: 'cover', title, authors: this.authors });
    const cover = drawn.then(({ png, missing }) => {
      const made = { png: Buffer.from(png.buffer, png.byteOffset, png.byteLength), missing };
      this.cache.put('cover', key, v8.serialize(made));
      return made;
    });
    // Awaited when the book is packaged, or never when the build stops before that.
    cover.catch(() => {});
    return cover;
  }
}

function fromCache(data: Buffer): DrawnCover | undefined {
  try {
    const kept = v8.deserialize(data) as Partial<DrawnCover>;
    return kept.png instanceof Uint8Array && Array.isArray(kept.missing) ? { png: Buffer.from(kept.png.buffer, kept.png.byteOffset, kept.png.byteLength), missing: kept.missing.map(String) } : undefined;
  } catch {
    return undefined;
  }
}
