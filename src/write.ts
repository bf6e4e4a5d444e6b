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

export function writeAtomically(file: string, data: Buffer): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  inProgress.add(tmp);
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    // A write may take only part of the data (a disk filling up): go on until all is written or it fails.
    for (let done = 0; done < data.length; ) done += fs.writeSync(fd, data, done, data.length - done);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    inProgress.delete(tmp);
  }
}
