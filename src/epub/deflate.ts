// Deflating zip entries the way JSZip would (pako, raw DEFLATE), but outside the zip writer,
// so that it can run in worker threads and be cached. pako is pure JavaScript: the same bytes come out
// on every machine, which native zlib (with CPU-specific code paths) does not promise.
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

/**
 * The zip level quire uses. Level 3 is zlib's fastest level with a full match search; on a book's XHTML it
 * takes about 60% of the time of level 6 for about 4% more bytes (and level 9 costs far more again).
 */
export const DEFLATE_LEVEL = 3;

export interface Deflated {
  data: Uint8Array;
  crc32: number;
  size: number;
}

const requireHere = createRequire(import.meta.url);
// The pako that epub-gen-memory's JSZip uses, so that entries deflated here equal those it would deflate.
const requireFromJszip = createRequire(createRequire(requireHere.resolve('epub-gen-memory')).resolve('jszip'));
const pako = requireFromJszip('pako') as {
  deflateRaw(data: Uint8Array, options: { level: number }): Uint8Array;
  deflate(data: Uint8Array, options: { level: number }): Uint8Array;
};

interface PakoStream {
  /** pako's deflate_state; quire touches only what a full flush resets (see forgetHistory). */
  state: { head: Uint16Array; lookahead: number; strstart: number; block_start: number; insert: number };
  input: Uint8Array;
  next_in: number;
  avail_in: number;
  output: Uint8Array;
  next_out: number;
  avail_out: number;
}
const pakoDeflate = requireFromJszip('pako/lib/zlib/deflate.js') as {
  deflateInit2(strm: PakoStream, level: number, method: number, windowBits: number, memLevel: number, strategy: number): number;
  deflateReset(strm: PakoStream): number;
  deflate(strm: PakoStream, flush: number): number;
};
const ZStream = requireFromJszip('pako/lib/zlib/zstream.js') as new () => PakoStream;
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const Z_SYNC_FLUSH = 2;
const Z_FINISH = 4;
const Z_DEFLATED = 8;
/** One deflate state for the whole thread, reset between entries: a fresh one allocates ~300 kB. */
let stream: PakoStream | undefined;

/** The thread's deflate state, reset for a new entry. */
function freshStream(): PakoStream {
  if (!stream) {
    stream = new ZStream();
    if (pakoDeflate.deflateInit2(stream, DEFLATE_LEVEL, Z_DEFLATED, -15, 8, 0) !== Z_OK) throw new Error('deflate: cannot start');
  } else pakoDeflate.deflateReset(stream);
  return stream;
}

/** zlib's compressBound, with room for a flush marker after each of `pieces` pieces. */
function bound(length: number, pieces = 1): number {
  return length + (length >>> 12) + (length >>> 14) + (length >>> 25) + 13 + 64 + 6 * pieces;
}

/** A zip entry: raw DEFLATE, byte for byte what `pako.deflateRaw(data, { level: DEFLATE_LEVEL })` gives. */
export function deflateEntry(data: Uint8Array): Deflated {
  return joinSegments(deflateSegments([data]), []);
}

/**
 * A document deflated in pieces, to be joined later with other text put between them (see joinSegments).
 * Every piece but the last ends with a full flush: byte-aligned, and with nothing after it referring back
 * to what came before, so the text put in between can be anything.
 */
export interface DeflatedSegments {
  parts: Uint8Array[];
  crcs: number[];
  sizes: number[];
}

/** Deflate `segments` as one stream with a full flush after each but the last (which finishes it). */
export function deflateSegments(segments: readonly Uint8Array[]): DeflatedSegments {
  const z = freshStream();
  const total = segments.reduce((n, s) => n + s.length, 0);
  const size = bound(total, segments.length);
  z.output = new Uint8Array(size);
  z.next_out = 0;
  z.avail_out = size;
  const parts: Uint8Array[] = [];
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const start = z.next_out;
    z.input = segment;
    z.next_in = 0;
    z.avail_in = segment.length;
    const status = pakoDeflate.deflate(z, last ? Z_FINISH : Z_SYNC_FLUSH);
    // An empty segment right after a flush has nothing to add: zlib says so with Z_BUF_ERROR.
    const ok = last ? status === Z_STREAM_END : status === Z_OK || (status === Z_BUF_ERROR && segment.length === 0);
    if (!ok || z.avail_in !== 0) throw new Error('deflate: the output did not fit');
    if (!last) forgetHistory(z);
    parts.push(z.output.slice(start, z.next_out));
  });
  z.input = z.output = new Uint8Array(0); // let the entry go
  return { parts, crcs: segments.map((s) => zlib.crc32(s)), sizes: segments.map((s) => s.length) };
}

/**
 * What zlib's Z_FULL_FLUSH does after the flush marker a Z_SYNC_FLUSH wrote: forget the history, so that
 * nothing after it refers to what came before. pako clears the hash table with a loop over its 32,768
 * entries, which three flushes a chapter made a quarter of the time of deflating; a typed-array fill is
 * the same clearing, done natively.
 */
function forgetHistory(z: PakoStream): void {
  const s = z.state;
  s.head.fill(0);
  if (s.lookahead === 0) {
    s.strstart = 0;
    s.block_start = 0;
    s.insert = 0;
  }
}

/**
 * The entry of the document whose segments were deflated, with `fills[i]` put between segment i and
 * i + 1. The fills are written as stored blocks; the CRC-32 is combined from the pieces' own.
 */
export function joinSegments(d: DeflatedSegments, fills: readonly Uint8Array[]): Deflated {
  if (fills.length !== d.parts.length - 1) throw new Error('joinSegments: one fill between each two segments');
  const out: Uint8Array[] = [d.parts[0]!];
  let crc = d.crcs[0]!;
  let size = d.sizes[0]!;
  fills.forEach((fill, i) => {
    for (let at = 0; at < fill.length; at += 0xffff) {
      const chunk = fill.subarray(at, at + 0xffff);
      // A stored block, not the last: header bits 000 padded to a byte, then LEN and its complement.
      out.push(Uint8Array.of(0, chunk.length & 0xff, chunk.length >>> 8, ~chunk.length & 0xff, (~chunk.length >>> 8) & 0xff), chunk);
    }
    crc = crc32Combine(crc32Combine(crc, zlib.crc32(fill), fill.length), d.crcs[i + 1]!, d.sizes[i + 1]!);
    size += fill.length + d.sizes[i + 1]!;
    out.push(d.parts[i + 1]!);
  });
  return { data: out.length === 1 ? out[0]! : Buffer.concat(out), crc32: crc, size };
}

// CRC-32 of two texts joined, from the CRC-32 of each (zlib's crc32_combine, by polynomial arithmetic).
const CRC_POLY = 0xedb88320;

/** a times b, modulo the CRC polynomial (bit-reflected). */
function multModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if ((a & m) !== 0) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ CRC_POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, for k = 0..31. */
const X2N: number[] = [0x40000000];
for (let k = 1; k < 32; k++) X2N.push(multModP(X2N[k - 1]!, X2N[k - 1]!));

/** x^(n * 2^k) modulo the polynomial. */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000;
  while (n > 0) {
    if (n % 2 === 1) p = multModP(X2N[k & 31]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/** The CRC-32 of A followed by B, from crc(A), crc(B) and B's length. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(x2nModP(lengthB, 3), crcA) ^ crcB) >>> 0;
}

/** zlib-wrapped DEFLATE (as PNG wants it), with the same pako. */
export function deflateZlib(data: Uint8Array): Uint8Array {
  return pako.deflate(data, { level: 9 });
}

export { requireFromJszip };
