// Orchestration: the generated covers of a build (epub/cover.ts draws them), through the cache and the workers.
import type { Cache } from '../cache.js';
import type { Pool } from '../parallel.js';

/**
 * The generated covers of a build, by title: from the cache, else drawn. A cover can be started early, so
 * that it is drawn before or while the chapters render instead of after them.
 */
export class Covers {
  private readonly made = new Map<string, Promise<Buffer>>();

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

  get(title: string): Promise<Buffer> {
    let cover = this.made.get(title);
    if (!cover) this.made.set(title, (cover = this.make(title)));
    return cover;
  }

  /** From the cache, else drawn on another thread. */
  private make(title: string): Promise<Buffer> {
    const key = this.cache.key('cover', title, JSON.stringify(this.authors));
    const cached = this.cache.get('cover', key);
    if (cached) return Promise.resolve(cached);
    const drawn = this.pool.runAside<Uint8Array>({ kind: 'cover', title, authors: this.authors });
    const cover = drawn.then((png) => {
      const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
      this.cache.put('cover', key, bytes);
      return bytes;
    });
    // Awaited when the book is packaged, or never when the build stops before that.
    cover.catch(() => {});
    return cover;
  }
}
