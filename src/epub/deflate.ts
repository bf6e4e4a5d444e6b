// Stage: package. Raw deflate of a zip entry's bytes, made exactly as JSZip makes it (pako, the same calls in
// the same order: JSZip's own deflater is pako, raw, pushed the data and then finished), with the entry's
// CRC-32. Pure, so any thread can run it: entries deflated on other threads are the bytes JSZip would
// have written itself (see package.ts, which hands them to JSZip).
import zlib from 'node:zlib';
import pako from 'pako';

/** An entry's bytes deflated, with the CRC-32 and length of the bytes as they were. */
export interface Deflated {
  crc: number;
  size: number;
  data: Uint8Array;
}

export function deflateEntry(bytes: Uint8Array, level: number): Deflated {
  const deflater = new pako.Deflate({ raw: true, level });
  deflater.push(bytes, false);
  deflater.push(new Uint8Array(0), true);
  if (deflater.err) throw new Error(`deflate failed: ${deflater.msg}`);
  return { crc: zlib.crc32(bytes) >>> 0, size: bytes.length, data: deflater.result as Uint8Array };
}

export function deflateEntries(items: readonly Uint8Array[], level: number): Deflated[] {
  return items.map((b) => deflateEntry(b, level));
}
