// Reading an EPUB's zip without trusting it: sizes and names are checked in the central directory before
// anything is inflated, so a zip bomb, a million tiny entries or a `../` name cannot hurt. Nothing is ever
// written to disk.
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

export const LIMITS = { entries: 10_000, entryBytes: 64 * 1024 * 1024, totalBytes: 512 * 1024 * 1024 };

export class ZipError extends Error {}

export function readCentralDirectory(zip: Buffer): ZipEntry[] {
  if (zip.length < 22 || zip.readUInt32LE(0) !== 0x04034b50) throw new ZipError('not a zip file (an EPUB is a zip archive)');
  let eocd = zip.length - 22;
  const stop = Math.max(0, zip.length - 22 - 65535);
  while (eocd >= stop && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < stop) throw new ZipError('the zip has no central directory: the file is truncated or damaged');
  const count = zip.readUInt16LE(eocd + 10);
  if (count > LIMITS.entries) throw new ZipError(`the zip holds ${count} entries, more than the ${LIMITS.entries} quire reads`);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) throw new ZipError('the zip central directory is damaged');
    const nameLength = zip.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      offset: zip.readUInt32LE(at + 42),
    };
    total += entry.size;
    if (entry.size > LIMITS.entryBytes) throw new ZipError(`${entry.name} would inflate to ${entry.size} bytes, more than quire reads (a zip bomb?)`);
    if (total > LIMITS.totalBytes) throw new ZipError(`the zip would inflate to more than ${LIMITS.totalBytes / 1024 / 1024} MB (a zip bomb?)`);
    entries.push(entry);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** An entry's bytes; the declared size is enforced while inflating. */
export function readEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.offset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50) throw new ZipError(`${entry.name}: damaged entry`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length < entry.compressedSize) throw new ZipError(`${entry.name}: the file is truncated`);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method !== 8) throw new ZipError(`${entry.name}: compression method ${entry.method} is not allowed in EPUB`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
  } catch (e) {
    throw new ZipError(`${entry.name}: cannot be inflated (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
