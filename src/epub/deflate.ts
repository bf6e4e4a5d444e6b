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
const Z_FINISH = 4;
const Z_DEFLATED = 8;
/** One deflate state for the whole thread, reset between entries: a fresh one allocates ~300 kB. */
let stream: PakoStream | undefined;

/** Raw DEFLATE, byte for byte what `pako.deflateRaw(data, { level: DEFLATE_LEVEL })` gives. */
function deflateRaw(data: Uint8Array): Uint8Array {
  if (!stream) {
    stream = new ZStream();
    if (pakoDeflate.deflateInit2(stream, DEFLATE_LEVEL, Z_DEFLATED, -15, 8, 0) !== Z_OK) throw new Error('deflate: cannot start');
  } else pakoDeflate.deflateReset(stream);
  // zlib's compressBound: all the output fits, so one call finishes the stream.
  const bound = data.length + (data.length >>> 12) + (data.length >>> 14) + (data.length >>> 25) + 13 + 64;
  stream.input = data;
  stream.next_in = 0;
  stream.avail_in = data.length;
  stream.output = new Uint8Array(bound);
  stream.next_out = 0;
  stream.avail_out = bound;
  if (pakoDeflate.deflate(stream, Z_FINISH) !== Z_STREAM_END) throw new Error('deflate: the output did not fit');
  const out = stream.output.slice(0, stream.next_out);
  stream.input = stream.output = new Uint8Array(0); // let the entry go
  return out;
}

export function deflateEntry(data: Uint8Array): Deflated {
  return { data: deflateRaw(data), crc32: zlib.crc32(data), size: data.length };
}

/** zlib-wrapped DEFLATE (as PNG wants it), with the same pako. */
export function deflateZlib(data: Uint8Array): Uint8Array {
  return pako.deflate(data, { level: 9 });
}

export { requireFromJszip };
