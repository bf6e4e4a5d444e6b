// Types for the part of pako quire uses (pako 1 ships none): zlib-wrapped DEFLATE, in pure JavaScript,
// so that the same bytes come out on every machine.
declare module 'pako' {
  const pako: { deflate(data: Uint8Array, options?: { level?: number }): Uint8Array };
  export default pako;
}
