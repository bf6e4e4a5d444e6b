// Reading untrusted files (book.yaml, the style sheet, the cover): only regular files, opened without
// blocking (a FIFO would wait for a writer forever, /dev/zero never ends) and read up to a size cap.
import fs from 'node:fs';

/** Largest image file quire reads (an article's image, a cover, a saved page's image). */
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; code?: string; reason: string };

const OPEN = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

/** The bytes of `file` if it is a regular file of at most `max` bytes; otherwise why not. */
export function readRegularFile(file: string, max: number): ReadResult {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, code, reason: code ?? (e as Error).message };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, code: 'ENOTREG', reason: `not a regular file (${stat.isDirectory() ? 'a folder' : stat.isFIFO() ? 'a FIFO' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'a socket'}): not read` };
    if (stat.size > max) return { ok: false, code: 'EFBIG', reason: `larger than ${formatSize(max)}: not read` };
    // The file may grow between fstat and the read: never read more than the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, max + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      chunks.push(chunk.subarray(0, n));
      if (total > max) return { ok: false, code: 'EFBIG', reason: `larger than ${formatSize(max)}: not read` };
    }
    return { ok: true, bytes: Buffer.concat(chunks) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, code, reason: code ?? (e as Error).message };
  } finally {
    fs.closeSync(fd);
  }
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} kB`;
}

/** The first `max` bytes of a regular file, as UTF-8 text; undefined for anything else or an error. */
export function readHead(file: string, max: number): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN);
  } catch {
    return undefined;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(max);
    const n = fs.readSync(fd, buffer, 0, max, 0);
    return buffer.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
