// Writing: the only place that puts the book on disk. The new book is written beside the old one and
// renamed over it, so a reader of the output path sees either the old book or the new one, never a mix.
import fs from 'node:fs';
import path from 'node:path';

/** Temporary files being written now, so an interrupted run can remove them (see removeTemporaryFiles). */
const inProgress = new Set<string>();
/** Makes every temporary name of this process different, even for two files written in the same millisecond. */
let serial = 0;

/** Remove the temporary files of writes under way: called when the process is interrupted. */
export function removeTemporaryFiles(): void {
  for (const tmp of inProgress) fs.rmSync(tmp, { force: true });
  inProgress.clear();
}

/**
 * Why `file` may not be written to, or undefined when it is absent or a regular file. A symbolic link
 * (whose target could be anything), a FIFO, a device or a socket is never replaced by the book.
 */
export function unfitDestination(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'the output path is a folder';
  const what = stat.isSymbolicLink() ? 'a symbolic link' : stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isSocket() ? 'a socket' : 'not a regular file';
  return `the output path is ${what}; quire writes only to a regular file or a new path`;
}

/**
 * New contents for several files, replaced all or none: each is written in full beside its destination
 * first (a temporary file), and only when all are written are they renamed into place. An error names its
 * destination (`path`) and leaves every destination as it was.
 */
export class PendingWrites {
  private readonly written: { tmp: string; file: string }[] = [];

  /** A new temporary file beside `file`, open for its new content (not a link, FIFO or device at `file`). */
  open(file: string): { fd: number } {
    try {
      const dir = path.dirname(file);
      fs.mkdirSync(dir, { recursive: true });
      const unfit = unfitDestination(file);
      if (unfit) throw Object.assign(new Error(unfit), { code: 'EOUTPUT' });
      const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.${(serial++).toString(36)}.tmp`);
      inProgress.add(tmp);
      this.written.push({ tmp, file });
      return { fd: fs.openSync(tmp, 'wx', 0o644) };
    } catch (e) {
      throw Object.assign(e as object, { path: file });
    }
  }

  /** Write `data` to a file `open` gave, to the end, and close it on the disk. */
  static write(fd: number, data: Uint8Array): void {
    // A write may take only part of the data (a disk filling up): go on until all is written or it fails.
    for (let done = 0; done < data.length; ) done += fs.writeSync(fd, data, done, data.length - done);
  }

  /** Finish a file `open` gave: on the disk, closed. */
  static close(fd: number): void {
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Rename every file written into its place. */
  commit(): void {
    try {
      for (const { tmp, file } of this.written) fs.renameSync(tmp, file);
    } catch (e) {
      this.abort();
      throw e;
    }
    this.forget();
  }

  /** Remove every temporary file: no destination is touched. */
  abort(): void {
    for (const { tmp } of this.written) fs.rmSync(tmp, { force: true });
    this.forget();
  }

  private forget(): void {
    for (const { tmp } of this.written) inProgress.delete(tmp);
    this.written.length = 0;
  }
}

/**
 * Write several files so that either all of them are replaced or none: each is written in full beside its
 * destination first, and only then are they renamed into place. (One file is the usual case.)
 */
export function writeAtomically(files: readonly { file: string; data: Buffer }[]): void {
  const pending = new PendingWrites();
  try {
    for (const { file, data } of files) {
      const { fd } = pending.open(file);
      try {
        PendingWrites.write(fd, data);
      } catch (e) {
        fs.closeSync(fd);
        throw Object.assign(e as object, { path: file });
      }
      try {
        PendingWrites.close(fd);
      } catch (e) {
        throw Object.assign(e as object, { path: file });
      }
    }
  } catch (e) {
    pending.abort();
    throw e;
  }
  pending.commit();
}
