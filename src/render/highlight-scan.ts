// Syntax highlighting, the fast path: a one-pass scanner for the languages that documentation shows most
// (JavaScript, TypeScript and JSON: 83% of the fenced code of the benchmark's real documentation), which
// writes the same `hljs-*` classes as highlight.js, from highlight.js's own word lists, several times faster.
// It tells apart what the style sheet shows on e-ink (bold keywords, literals and built-ins, italic
// comments with their bold doc tags, grey strings, numbers, names); bench/highlighters.mjs measures how
// closely its grey-scale rendering follows highlight.js's on the benchmark's corpus. Every character of the
// code is kept: the output is the code, escaped, with spans around some of it.

/** highlight.js's JavaScript words (highlight.js 11.12.0, lib/languages/javascript); a unit test checks them. */
export const JS_WORDS = {
  keyword:
    'as in of if for while finally var new function do return void else break catch instanceof with throw case default try switch continue typeof delete let yield const class debugger async await static import from export extends using',
  literal: 'true false null undefined NaN Infinity',
  built_in:
    'setInterval setTimeout clearInterval clearTimeout require exports eval isFinite isNaN parseFloat parseInt decodeURI decodeURIComponent encodeURI encodeURIComponent escape unescape Object Function Boolean Symbol Math Date Number BigInt String RegExp Array Float32Array Float64Array Int8Array Uint8Array Uint8ClampedArray Int16Array Int32Array Uint16Array Uint32Array BigInt64Array BigUint64Array Set Map WeakSet WeakMap ArrayBuffer SharedArrayBuffer Atomics DataView JSON Promise Generator GeneratorFunction AsyncFunction Reflect Proxy Intl WebAssembly Error EvalError InternalError RangeError ReferenceError SyntaxError TypeError URIError',
  'variable.language': 'arguments this super console window document localStorage sessionStorage module self global',
};
/** What TypeScript adds (lib/languages/typescript). */
export const TS_WORDS = {
  keyword: 'type interface public private protected implements declare abstract readonly enum override satisfies',
  built_in: 'any void number boolean string object never symbol bigint unknown',
};

type Kind = 'keyword' | 'literal' | 'built_in' | 'variable language_';
function wordTable(ts: boolean): Map<string, Kind> {
  const table = new Map<string, Kind>();
  const add = (list: string, kind: Kind) => {
    for (const w of list.split(' ')) table.set(w, kind);
  };
  add(JS_WORDS.keyword, 'keyword');
  add(JS_WORDS.literal, 'literal');
  add(JS_WORDS.built_in, 'built_in');
  add(JS_WORDS['variable.language'], 'variable language_');
  if (ts) {
    add(TS_WORDS.keyword, 'keyword');
    add(TS_WORDS.built_in, 'built_in');
  }
  return table;
}
const JS_TABLE = wordTable(false);
const TS_TABLE = wordTable(true);

/** The languages (by lower-case name or alias) the scanner highlights. */
const SCANNED: Readonly<Record<string, 'js' | 'ts' | 'json'>> = {
  js: 'js', javascript: 'js', mjs: 'js', cjs: 'js',
  ts: 'ts', typescript: 'ts', mts: 'ts', cts: 'ts',
  json: 'json', jsonc: 'json', json5: 'json',
};

/** Whether the scanner highlights this language (a lower-case name or alias). */
export function scans(lang: string): boolean {
  return Object.hasOwn(SCANNED, lang);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
/** Text escaped as highlight.js escapes it. */
function esc(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}
const span = (cls: string, html: string) => `<span class="hljs-${cls}">${html}</span>`;

// Words before which a `/` starts a regular expression, not a division.
const BEFORE_REGEX = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
const IDENT = /[A-Za-z$_][\w$]*/y;
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)n?(?![\w$])/y;
const REGEX = /^\/(?![*/])(?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[dgimsuyv]*/;
/** Longest regular expression literal looked for: each `/` where one may start is tried, within this far. */
const MAX_REGEX = 400;
/** Deepest nesting of template literals in `${…}` highlighted as such; deeper ones are string text. */
const MAX_TEMPLATE_NESTING = 16;
const STRING = /'(?:[^'\\\n]|\\[^])*'?|"(?:[^"\\\n]|\\[^])*"?/y;
const SPACE = /\s+/y;
// `const name = function…`, `= async (…) =>`, `= x =>`: highlight.js calls the name a function's.
const DECLARES = new Set(['const', 'let', 'var']);
const FUNCTION_VALUE = /=\s*(?:async\b\s*)?(?:function\b|\([^()]*\)\s*=>|[A-Za-z$_][\w$]*\s*=>)/y;
// highlight.js's class references: JSON, Capitalised, HTTPServer, URLs...
const CLASS_REF = /^(?:JSON|[A-Z][a-z]+(?:[A-Z][a-z]*|\d)*|[A-Z]{2,}(?:[A-Z][a-z]+|\d)+(?:[A-Z][a-z]*)*|[A-Z]{2,}[a-z]+(?:[A-Z][a-z]+|\d)*(?:[A-Z][a-z]*)*)$/;
const DOC_TAG = /@[A-Za-z]+|(?:TODO|FIXME|NOTE|BUG|OPTIMIZE|HACK|XXX):/g;

/** A comment, with its doc tags (`@param {type} name`, `TODO:`) marked as highlight.js marks them. */
function comment(text: string): string {
  if (!text.includes('@') && !text.includes(':')) return span('comment', esc(text));
  const jsdoc = text.startsWith('/**');
  let out = '';
  let last = 0;
  DOC_TAG.lastIndex = 0;
  for (let m = DOC_TAG.exec(text); m; m = DOC_TAG.exec(text)) {
    if (m[0][0] === '@' && !jsdoc) continue;
    out += esc(text.slice(last, m.index)) + span('doctag', esc(m[0]));
    last = m.index + m[0].length;
    if (m[0][0] !== '@') continue;
    // `@param {Type} name`: the type between braces, then the name.
    const rest = /^(\s*\{)([^}\n]*)(\})?/.exec(text.slice(last));
    if (rest) {
      out += esc(rest[1]!) + (rest[2] ? span('type', esc(rest[2])) : '') + (rest[3] ?? '');
      last += rest[0].length;
    }
    const name = /^([ \t]+)([A-Za-z$_][\w$]*)(?=[ \t]*(?:-|\r?\n|$))/.exec(text.slice(last, last + 200));
    if (name) {
      out += name[1] + span('variable', esc(name[2]!));
      last += name[0].length;
    }
    DOC_TAG.lastIndex = last;
  }
  return span('comment', out + esc(text.slice(last)));
}

/** JavaScript or TypeScript from `start`, up to the end or (inside a template's `${`) the unmatched `}`. */
function scanScript(code: string, start: number, table: Map<string, Kind>, inner: boolean, nesting = 0): [string, number] {
  let out = '';
  let i = start;
  let regexOk = true;
  let depth = 0;
  let prevWord = '';
  let afterDot = false;
  const n = code.length;
  while (i < n) {
    const c = code.charCodeAt(i);
    // white space
    if (c === 32 || c === 10 || c === 9 || c === 13) {
      SPACE.lastIndex = i;
      SPACE.exec(code);
      out += code.slice(i, SPACE.lastIndex);
      i = SPACE.lastIndex;
      continue;
    }
    // comments
    if (c === 47 /* / */ && (code.charCodeAt(i + 1) === 47 || code.charCodeAt(i + 1) === 42)) {
      let end: number;
      if (code.charCodeAt(i + 1) === 47) {
        end = code.indexOf('\n', i);
        if (end === -1) end = n;
      } else {
        end = code.indexOf('*/', i + 2);
        end = end === -1 ? n : end + 2;
      }
      out += comment(code.slice(i, end));
      i = end;
      continue;
    }
    // regular expressions, where an expression may start
    if (c === 47 && regexOk) {
      const m = REGEX.exec(code.slice(i, i + MAX_REGEX));
      if (m) {
        out += span('regexp', esc(m[0]));
        i += m[0].length;
        regexOk = false;
        continue;
      }
    }
    // strings
    if (c === 39 || c === 34) {
      STRING.lastIndex = i;
      const m = STRING.exec(code)!;
      i = STRING.lastIndex;
      out += span('string', esc(m[0]));
      regexOk = false;
      continue;
    }
    // template literals, with their `${…}` substitutions highlighted as script
    if (c === 96) {
      let html = '`';
      let j = i + 1;
      for (;;) {
        // escaped characters before the stop: `\`` and `\${` do not end the text
        let k = j;
        let end = -1;
        let isSub = false;
        while (k < n) {
          const ch = code.charCodeAt(k);
          if (ch === 92) {
            k += 2;
            continue;
          }
          if (ch === 96) {
            end = k;
            break;
          }
          if (ch === 36 && code.charCodeAt(k + 1) === 123 && nesting < MAX_TEMPLATE_NESTING) {
            end = k;
            isSub = true;
            break;
          }
          k++;
        }
        if (end === -1) {
          html += esc(code.slice(j, n));
          j = n;
          break;
        }
        html += esc(code.slice(j, end));
        if (!isSub) {
          html += '`';
          j = end + 1;
          break;
        }
        const [inside, after] = scanScript(code, end + 2, table, true, nesting + 1);
        html += `<span class="hljs-subst">\${${inside}${after < n ? '}' : ''}</span>`;
        j = after < n ? after + 1 : n;
        if (j >= n) break;
      }
      out += span('string', html);
      i = j;
      regexOk = false;
      continue;
    }
    // numbers
    if ((c >= 48 && c <= 57) || (c === 46 && code.charCodeAt(i + 1) >= 48 && code.charCodeAt(i + 1) <= 57)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(code);
      if (m && !/[\w$]/.test(code[i - 1] ?? '')) {
        out += span('number', m[0]);
        i = NUMBER.lastIndex;
        regexOk = false;
        continue;
      }
    }
    // names
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95) {
      IDENT.lastIndex = i;
      const word = IDENT.exec(code)![0];
      i = IDENT.lastIndex;
      const kind = afterDot ? undefined : table.get(word);
      const next = nextNonSpace(code, i);
      let html: string;
      if (afterDot) html = code.charCodeAt(next) === 40 ? span('title function_', word) : span('property', word);
      else if (kind && !(kind === 'keyword' && code.charCodeAt(next) === 58 && code.charCodeAt(next + 1) !== 58 && prevWord !== 'case')) html = span(kind, word);
      else if (prevWord === 'function') html = span('title function_', word);
      else if (DECLARES.has(prevWord) && (FUNCTION_VALUE.lastIndex = next, FUNCTION_VALUE.test(code))) html = span('title function_', word);
      else if (prevWord === 'class' || prevWord === 'interface') html = span('title class_', word);
      else if (prevWord === 'extends' || prevWord === 'implements') html = span('title class_ inherited__', word);
      else if (code.charCodeAt(next) === 58 && code.charCodeAt(next + 1) !== 58) html = span('attr', word);
      else if (code.charCodeAt(next) === 63 && code.charCodeAt(next + 1) === 58) html = span('attr', word);
      else if (code.charCodeAt(next) === 40) html = span('title function_', word);
      else if (CLASS_REF.test(word)) html = span('title class_', word);
      else html = word;
      out += html;
      regexOk = kind === 'keyword' ? true : BEFORE_REGEX.has(word);
      prevWord = word;
      afterDot = false;
      continue;
    }
    // decorators (TypeScript)
    if (c === 64 && table === TS_TABLE) {
      IDENT.lastIndex = i + 1;
      const m = IDENT.exec(code);
      if (m) {
        out += span('meta', `@${m[0]}`);
        i = IDENT.lastIndex;
        prevWord = '';
        continue;
      }
    }
    // punctuation and anything else, one character at a time
    if (c === 123) depth++;
    else if (c === 125) {
      if (inner && depth === 0) return [out, i];
      depth--;
    }
    const ch = code[i]!;
    // A character outside the basic plane stays whole.
    const whole = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? code.slice(i, i + 2) : ch;
    out += esc(whole);
    i += whole.length;
    afterDot = c === 46;
    regexOk = !(c === 41 || c === 93 || c === 125 || c >= 128);
    if (c !== 46) prevWord = c === 44 && (prevWord === 'implements' || prevWord === 'extends') ? prevWord : '';
  }
  return [out, n];
}

function nextNonSpace(code: string, i: number): number {
  while (i < code.length) {
    const c = code.charCodeAt(i);
    if (c !== 32 && c !== 9) return i;
    i++;
  }
  return i;
}

/** JSON (and JSON with comments, JSON5): keys, strings, numbers, literals, punctuation, comments. */
const JSON_TOKEN = /(\/\/[^\n]*|\/\*[^]*?(?:\*\/|$))|("(?:[^"\\\n]|\\[^])*"?|'(?:[^'\\\n]|\\[^])*'?)(?=(\s*:)?)|(-?(?:0[xX][\da-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))(?![\w$])|(true|false|null)(?![\w$])|([{}[\],:])|[A-Za-z_$][\w$]*|\s+|[^]/y;
function scanJson(code: string): string {
  let out = '';
  JSON_TOKEN.lastIndex = 0;
  for (let m = JSON_TOKEN.exec(code); m; m = JSON_TOKEN.exec(code)) {
    if (m[1]) out += span('comment', esc(m[1]));
    else if (m[2]) out += span(m[3] !== undefined ? 'attr' : 'string', esc(m[2]));
    else if (m[4]) out += span('number', m[4]);
    else if (m[5]) out += `<span class="hljs-literal"><span class="hljs-keyword">${m[5]}</span></span>`;
    else if (m[6]) out += span('punctuation', m[6]);
    else out += esc(m[0]);
    if (JSON_TOKEN.lastIndex >= code.length) break;
  }
  return out;
}

/** The code highlighted by the scanner, or undefined when it does not scan the language. */
export function scanCode(code: string, lang: string): string | undefined {
  if (!Object.hasOwn(SCANNED, lang)) return undefined;
  const kind = SCANNED[lang];
  if (kind === 'json') return scanJson(code);
  return scanScript(code, 0, kind === 'ts' ? TS_TABLE : JS_TABLE, false)[0];
}
