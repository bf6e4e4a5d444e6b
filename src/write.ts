// Writing: the only place that puts the book on disk. The new book is written beside the old one and
// renamed over it, so a reader of the output path sees either the old book or the new one, never a mix.
import fs from 'node:fs';
import path from 'node:path';

/** Temporary files being written now, so an interrupted run can remove them (see removeTemporaryFiles). */
const inProgress = new Set<string>();

/** Remove the temporary files of writes under way: called when the process is interrupted. */
export function removeTemporaryFiles(): void {
  for (const tmp of inProgress) fs.rmSync(tmp, { force: true });
  inProgress.clear();
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
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw Object.assign(new Error(`${file} is a folder`), { code: 'EISDIR', path: file });
      const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
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
