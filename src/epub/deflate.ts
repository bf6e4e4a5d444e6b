// Deflating zip entries the way JSZip would (pako, level 6, raw DEFLATE), but outside the zip writer,
// so that it can run in worker threads and be cached. pako is pure JavaScript: the same bytes come out
// on every machine, which native zlib (with CPU-specific code paths) does not promise.
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

/** The zip level quire uses: level 9 costs much more time for a few per cent. */
export const DEFLATE_LEVEL = 6;

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

export function deflateEntry(data: Uint8Array): Deflated {
  return { data: pako.deflateRaw(data, { level: DEFLATE_LEVEL }), crc32: zlib.crc32(data), size: data.length };
}

/** zlib-wrapped DEFLATE (as PNG wants it), with the same pako. */
export function deflateZlib(data: Uint8Array): Uint8Array {
  return pako.deflate(data, { level: 9 });
}

export { requireFromJszip };
