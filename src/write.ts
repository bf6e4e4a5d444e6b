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
 * Write several files so that either all of them are replaced or none: each is written in full beside its
 * destination first, and only then are they renamed into place. (One file is the usual case.)
 */
export function writeAtomically(files: readonly { file: string; data: Buffer }[]): void {
  const written: { tmp: string; file: string }[] = [];
  try {
    for (const { file, data } of files) {
      const dir = path.dirname(file);
      fs.mkdirSync(dir, { recursive: true });
      const unfit = unfitDestination(file);
      if (unfit) throw Object.assign(new Error(unfit), { code: 'EOUTPUT', path: file });
      const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.${(serial++).toString(36)}.tmp`);
      inProgress.add(tmp);
      written.push({ tmp, file });
      const fd = fs.openSync(tmp, 'wx', 0o644);
      try {
        // A write may take only part of the data (a disk filling up): go on until all is written or it fails.
        for (let done = 0; done < data.length; ) done += fs.writeSync(fd, data, done, data.length - done);
        fs.fsyncSync(fd);
      } catch (e) {
        Object.assign(e as object, { path: file });
        throw e;
      } finally {
        fs.closeSync(fd);
      }
    }
    for (const { tmp, file } of written) fs.renameSync(tmp, file);
  } catch (e) {
    for (const { tmp } of written) fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    for (const { tmp } of written) inProgress.delete(tmp);
  }
}
