// Reading an EPUB's zip without trusting it: sizes and names are checked in the central directory before
// anything is inflated, so a zip bomb, a million tiny entries or a `../` name cannot hurt. Nothing is ever
// written to disk.
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
  /** The CRC-32 the central directory gives for the entry's uncompressed bytes. */
  crc: number;
  /** General-purpose flags: bit 0 encryption, bit 3 sizes in a data descriptor after the data. */
  flags: number;
}

/**
 * What quire check reads at most, all decided from the central directory before anything is inflated: entries
 * (a 20,000-article book has about 20,010), bytes an entry and in all once inflated, and how much an entry
 * may grow when inflated (`ratio`, for entries over `ratioFrom` bytes: text compresses about 3 to 10 times,
 * a bomb of zeros about 1,000 times).
 */
export const LIMITS = { entries: 50_000, entryBytes: 64 * 1024 * 1024, totalBytes: 512 * 1024 * 1024, ratio: 100, ratioFrom: 1024 * 1024 };

export class ZipError extends Error {}

export function readCentralDirectory(zip: Buffer): ZipEntry[] {
  if (zip.length < 22 || zip.readUInt32LE(0) !== 0x04034b50) throw new ZipError('not a zip file (an EPUB is a zip archive)');
  let eocd = zip.length - 22;
  const stop = Math.max(0, zip.length - 22 - 65535);
  while (eocd >= stop && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < stop) throw new ZipError('the zip has no central directory: the file is truncated or damaged');
  const count = zip.readUInt16LE(eocd + 10);
  if (count === 0xffff || zip.readUInt32LE(eocd + 16) === 0xffffffff) throw new ZipError('the zip is a ZIP64 archive, which quire check does not read (more than 65,535 entries or 4 GB)');
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
      crc: zip.readUInt32LE(at + 16),
      flags: zip.readUInt16LE(at + 8),
    };
    total += entry.size;
    if (entry.size > LIMITS.ratioFrom && entry.size > LIMITS.ratio * entry.compressedSize) {
      throw new ZipError(`${entry.name} would inflate from ${entry.compressedSize} to ${entry.size} bytes, more than ${LIMITS.ratio} times (a zip bomb?)`);
    }
    if (entry.size > LIMITS.entryBytes) throw new ZipError(`${entry.name} would inflate to ${entry.size} bytes, more than quire reads (a zip bomb?)`);
    if (total > LIMITS.totalBytes) throw new ZipError(`the zip would inflate to more than ${LIMITS.totalBytes / 1024 / 1024} MB (a zip bomb?)`);
    entries.push(entry);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * An entry's bytes, checked against what the central directory declares: its local header, its size (enforced
 * while inflating: a lying entry stops at its declared size) and its CRC-32.
 */
export function readEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.offset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50) throw new ZipError('damaged entry: its local header is not where the central directory says');
  if (entry.flags & 1) throw new ZipError('the entry is encrypted, which EPUB does not allow');
  const nameLength = zip.readUInt16LE(at + 26);
  const localName = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
  if (localName !== entry.name) throw new ZipError(`the local header names the entry ${JSON.stringify(localName)}: the zip contradicts itself`);
  if (!(entry.flags & 8) && (zip.readUInt32LE(at + 18) !== entry.compressedSize || zip.readUInt32LE(at + 22) !== entry.size)) {
    throw new ZipError('the local header and the central directory declare different sizes');
  }
  const start = at + 30 + nameLength + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (data.length < entry.compressedSize) throw new ZipError('the file is truncated inside this entry');
  let bytes: Buffer;
  if (entry.method === 0) bytes = Buffer.from(data);
  else if (entry.method !== 8) throw new ZipError(`compression method ${entry.method} is not allowed in EPUB`);
  else {
    try {
      bytes = inflateRawSync(data, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ZipError(code === 'ERR_BUFFER_TOO_LARGE' ? `cannot be inflated: it holds more than the ${entry.size} bytes it declares (a zip bomb?)` : `cannot be inflated (${code ?? (e as Error).message})`);
    }
  }
  if (bytes.length !== entry.size) throw new ZipError(`the entry declares ${entry.size} bytes but holds ${bytes.length}`);
  const crc = crc32(bytes);
  if (crc !== entry.crc) throw new ZipError(`CRC-32 mismatch (declared ${hex(entry.crc)}, the bytes give ${hex(crc)}): the entry is damaged or was altered`);
  return bytes;
}

const hex = (n: number) => n.toString(16).padStart(8, '0');
