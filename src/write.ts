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
  private readonly files: { tmp: string; file: string; fd: number | undefined }[] = [];
  private readonly named = new Set<string>();

  /** Whether `file` was given to `open`: an error that names it is this writing's. */
  includes(file: string): boolean {
    return this.named.has(file);
  }

  /**
   * A new temporary file beside `file` (not a link, FIFO or device there), and what writes the next bytes
   * of its content to it.
   */
  open(file: string): (data: Uint8Array) => void {
    this.named.add(file);
    const entry = named(file, () => {
      const dir = path.dirname(file);
      fs.mkdirSync(dir, { recursive: true });
      const unfit = unfitDestination(file);
      if (unfit) throw Object.assign(new Error(unfit), { code: 'EOUTPUT' });
      const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.${(serial++).toString(36)}.tmp`);
      inProgress.add(tmp);
      const entry = { tmp, file, fd: undefined as number | undefined };
      this.files.push(entry);
      entry.fd = fs.openSync(tmp, 'wx', 0o644);
      return entry;
    });
    return (data) =>
      named(file, () => {
        // A write may take only part of the data (a disk filling up): go on until all is written or it fails.
        for (let done = 0; done < data.length; ) done += fs.writeSync(entry.fd!, data, done, data.length - done);
      });
  }

  /** Put every file on the disk and rename it into its place; on an error, none is. */
  commit(): void {
    try {
      for (const f of this.files) {
        named(f.file, () => fs.fsyncSync(f.fd!));
        this.closeFile(f);
      }
      for (const { tmp, file } of this.files) named(file, () => fs.renameSync(tmp, file));
    } catch (e) {
      this.abort();
      throw e;
    }
    this.forget();
  }

  /** Remove every temporary file: no destination is touched. */
  abort(): void {
    for (const f of this.files) {
      this.closeFile(f);
      fs.rmSync(f.tmp, { force: true });
    }
    this.forget();
  }

  private closeFile(f: { fd: number | undefined }): void {
    const { fd } = f;
    f.fd = undefined;
    if (fd !== undefined) fs.closeSync(fd);
  }

  private forget(): void {
    for (const { tmp } of this.files) inProgress.delete(tmp);
    this.files.length = 0;
  }
}

/** Run `work`; an error it throws names `file`. */
function named<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw Object.assign(e as object, { path: file });
  }
}

/**
 * Write several files so that either all of them are replaced or none: each is written in full beside its
 * destination first, and only then are they renamed into place. (One file is the usual case.)
 */
export function writeAtomically(files: readonly { file: string; data: Buffer }[]): void {
  const pending = new PendingWrites();
  try {
    for (const { file, data } of files) pending.open(file)(data);
  } catch (e) {
    pending.abort();
    throw e;
  }
  pending.commit();
}
