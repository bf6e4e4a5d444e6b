// Orchestration: the generated covers of a build (epub/cover.ts draws them), through the cache and the workers.
import v8 from 'node:v8';
import type { Cache } from '../cache.js';
import type { DrawnCover } from '../epub/cover.js';
import type { Pool } from '../parallel.js';

/**
 * The generated covers of a build, by title: from the cache, else drawn. A cover can be started early, so
 * that it is drawn before or while the chapters render instead of after them.
 */
/** A generated cover as the book takes it: its PNG, and the characters it draws as boxes (see drawCover). */
export interface Cover {
  png: Buffer;
  missing: string[];
}

/** How a cover is kept in the cache: both together, so that a cover from the cache warns as a drawn one does. */
const CODEC = { decode: (data: Buffer) => v8.deserialize(data) as Cover, encode: (cover: Cover) => v8.serialize(cover) };

export class Covers {
  private readonly made = new Map<string, Promise<Cover>>();

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

  get(title: string): Promise<Cover> {
    let cover = this.made.get(title);
    if (!cover) this.made.set(title, (cover = this.make(title)));
    return cover;
  }

  /** From the cache, else drawn on another thread (which starts at once). */
  private make(title: string): Promise<Cover> {
    const key = this.cache.key('cover', title, JSON.stringify(this.authors));
    const cover = this.cache
      .through('cover', [key], CODEC, async (missing) => {
        if (!missing.length) return [];
        const { png, missing: lacking } = await this.pool.runAside<DrawnCover>({ kind: 'cover', title, authors: this.authors });
        return [{ png: Buffer.from(png.buffer, png.byteOffset, png.byteLength), missing: lacking }];
      })
      .then(([made]) => made!);
    // Awaited when the book is packaged, or never when the build stops before that.
    cover.catch(() => {});
    return cover;
  }
}
