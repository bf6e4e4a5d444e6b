// Shared by the load and render stages, CSS: style attributes and style sheets keep only declarations of known properties whose
// values use known functions. Nothing in the CSS of a book may load a resource (url(), image-set(),
// image(), cross-fade(), element(), @import, @font-face src, their -webkit- variants...): the allowlists
// name what is kept, so a new way to load something is dropped by default.

/** Properties kept (vendor prefixes such as -webkit- and -epub- are judged by the name without them). */
const PROPERTIES = new Set([
  'color', 'background', 'background-color', 'background-image', 'background-position', 'background-repeat', 'background-size', 'background-clip', 'background-origin',
  'font', 'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant', 'font-variant-caps', 'font-variant-numeric', 'font-variant-ligatures',
  'font-variant-east-asian', 'font-variant-position', 'font-stretch', 'font-feature-settings', 'font-kerning', 'font-size-adjust', 'font-synthesis',
  'line-height', 'letter-spacing', 'word-spacing', 'text-align', 'text-align-last', 'text-indent', 'text-decoration', 'text-decoration-line',
  'text-decoration-color', 'text-decoration-style', 'text-decoration-thickness', 'text-underline-offset', 'text-underline-position', 'text-transform',
  'text-shadow', 'text-emphasis', 'text-emphasis-style', 'text-emphasis-color', 'text-emphasis-position', 'text-orientation', 'text-combine-upright',
  'text-overflow', 'text-wrap', 'white-space', 'word-break', 'word-wrap', 'overflow-wrap', 'line-break', 'hyphens', 'hyphenate-character', 'tab-size',
  'vertical-align', 'direction', 'unicode-bidi', 'writing-mode', 'ruby-position', 'ruby-align', 'quotes',
  'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'margin-block', 'margin-block-start', 'margin-block-end', 'margin-inline',
  'margin-inline-start', 'margin-inline-end', 'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left', 'padding-block',
  'padding-block-start', 'padding-block-end', 'padding-inline', 'padding-inline-start', 'padding-inline-end',
  'border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-color', 'border-style', 'border-width', 'border-radius',
  'border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color', 'border-top-style', 'border-right-style', 'border-bottom-style',
  'border-left-style', 'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width', 'border-top-left-radius',
  'border-top-right-radius', 'border-bottom-left-radius', 'border-bottom-right-radius', 'border-block', 'border-inline', 'border-block-start',
  'border-block-end', 'border-inline-start', 'border-inline-end', 'border-collapse', 'border-spacing', 'outline', 'outline-color', 'outline-style',
  'outline-width', 'outline-offset', 'box-shadow', 'box-sizing', 'box-decoration-break',
  'width', 'height', 'min-width', 'min-height', 'max-width', 'max-height', 'inline-size', 'block-size', 'min-inline-size', 'max-inline-size',
  'min-block-size', 'max-block-size', 'aspect-ratio', 'object-fit', 'object-position',
  'display', 'float', 'clear', 'visibility', 'overflow', 'overflow-x', 'overflow-y', 'opacity', 'z-index',
  'list-style', 'list-style-type', 'list-style-position', 'counter-reset', 'counter-increment', 'counter-set', 'content',
  'table-layout', 'caption-side', 'empty-cells',
  'page-break-before', 'page-break-after', 'page-break-inside', 'break-before', 'break-after', 'break-inside', 'orphans', 'widows',
  'columns', 'column-count', 'column-width', 'column-gap', 'column-rule', 'column-rule-color', 'column-rule-style', 'column-rule-width', 'column-span', 'column-fill',
  'flex', 'flex-direction', 'flex-wrap', 'flex-flow', 'flex-grow', 'flex-shrink', 'flex-basis', 'justify-content', 'align-items', 'align-self',
  'align-content', 'order', 'gap', 'row-gap', 'grid-template-columns', 'grid-template-rows', 'grid-column', 'grid-row', 'grid-area',
  'transform', 'transform-origin', 'adobe-hyphenate',
  // SVG presentation properties.
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linecap', 'stroke-linejoin', 'stroke-miterlimit',
  'stroke-dasharray', 'stroke-dashoffset', 'stop-color', 'stop-opacity', 'clip-path', 'clip-rule', 'marker', 'marker-start', 'marker-mid',
  'marker-end', 'text-anchor', 'dominant-baseline', 'alignment-baseline', 'baseline-shift', 'paint-order', 'vector-effect', 'shape-rendering',
  'text-rendering', 'color-interpolation', 'flood-color', 'flood-opacity', 'lighting-color', 'mix-blend-mode', 'isolation',
  // MathML.
  'math-style', 'math-depth',
]);

/** Functions a value may use. url() is allowed only as `url(#id)`: a reference inside the document (SVG). */
const FUNCTIONS = new Set([
  'rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color-mix', 'calc', 'min', 'max', 'clamp',
  'linear-gradient', 'radial-gradient', 'conic-gradient', 'repeating-linear-gradient', 'repeating-radial-gradient', 'repeating-conic-gradient',
  'translate', 'translatex', 'translatey', 'rotate', 'scale', 'scalex', 'scaley', 'skew', 'skewx', 'skewy', 'matrix',
  'counter', 'counters', 'attr', 'minmax', 'repeat', 'fit-content', 'symbols',
]);

/** Pseudo-classes with arguments a selector may use. */
const PSEUDO_FUNCTIONS = new Set(['not', 'is', 'where', 'has', 'nth-child', 'nth-last-child', 'nth-of-type', 'nth-last-of-type', 'lang', 'dir']);

const VENDOR = /^-(webkit|moz|ms|o|epub)-/;

/** Why a declaration is dropped, or undefined when it is kept. */
export function refusedDeclaration(property: string, value: string): string | undefined {
  const prop = property.toLowerCase();
  if (!PROPERTIES.has(prop.replace(VENDOR, ''))) return `the property \`${prop}\` is not one quire keeps`;
  // Escapes, comments and markup could hide a function name from the checks below.
  if (/[\\<>{}]|\/\*|@/.test(value)) return 'the value holds escapes, comments or markup';
  for (const m of value.matchAll(/([a-zA-Z_-][\w-]*)\s*\(/g)) {
    const fn = m[1]!.toLowerCase().replace(VENDOR, '');
    if (fn === 'url' && /^url\(\s*['"]?#[\w.-]+['"]?\s*\)$/i.test(value.slice(m.index).replace(/\).*$/s, ')'))) continue;
    if (!FUNCTIONS.has(fn)) return fn === 'url' || fn === 'image-set' || fn === 'image' || fn === 'cross-fade' || fn === 'element' ? `\`${m[1]}()\` loads a resource` : `the function \`${m[1]}()\` is not one quire keeps`;
  }
  // A function name written with a space before its parenthesis is still a function to some readers.
  if (/\b(url|image-set|image|cross-fade|element|src)\s+\(/i.test(value)) return 'the value names a resource';
  return undefined;
}

/** Split a declaration list at semicolons outside strings and parentheses. */
function declarations(text: string, offset: number): { property: string; value: string; at: number }[] {
  const out: { property: string; value: string; at: number }[] = [];
  let start = 0;
  let depth = 0;
  let quote = '';
  const flush = (end: number) => {
    const decl = text.slice(start, end);
    const m = /^(\s*)([a-zA-Z-]+)\s*:\s*([^]*?)\s*$/.exec(decl);
    if (m) out.push({ property: m[2]!, value: m[3]!, at: offset + start + m[1]!.length });
    else if (decl.trim()) out.push({ property: decl.trim(), value: '', at: offset + start + (decl.length - decl.trimStart().length) });
    start = end + 1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) flush(i);
  }
  flush(text.length);
  return out;
}

/**
 * A style attribute with only the declarations quire keeps. `shown`: without the declarations that hide an
 * element (`display: none`, `visibility: hidden`), as for an article's own HTML elements, whose `hidden`
 * attribute is dropped too: the book shows everything the article holds.
 */
export function cleanStyleAttribute(css: string, shown = false): string {
  const kept: string[] = [];
  for (const { property, value } of declarations(css, 0)) {
    if (!value) continue;
    const bare = value.replace(/\s*!\s*important\s*$/i, '');
    if (shown && hides(property.toLowerCase(), bare.trim().toLowerCase())) continue;
    if (refusedDeclaration(property, bare) === undefined) kept.push(`${property.toLowerCase()}: ${value}`);
  }
  return kept.join('; ');
}

/**
 * Whether a declaration hides its element's text: not displayed or not visible, and the other ways pages
 * hide text from a reader, which e-readers apply as browsers do: no opacity, no size (a collapsed FAQ answer,
 * `max-height: 0; overflow: hidden`), a font of no size, a transparent colour, text indented off the page,
 * scaled to nothing.
 */
function hides(property: string, value: string): boolean {
  switch (property) {
    case 'display':
      return value === 'none';
    case 'visibility':
      return value === 'hidden' || value === 'collapse';
    case 'opacity':
      return lengthOf(value) !== undefined && lengthOf(value)! <= (value.endsWith('%') ? 5 : 0.05);
    case 'font-size':
    case 'height':
    case 'max-height':
    case 'width':
    case 'max-width': {
      const size = lengthOf(value);
      return size !== undefined && size <= (/(px|pt|%)$/.test(value) ? 1 : 0.05);
    }
    case 'color':
      return value === 'transparent' || /^(rgba|hsla|rgb|hsl)\(.*[,/]\s*0*(\.0*)?%?\s*\)$/.test(value) || /^#[0-9a-f]{3}0$|^#[0-9a-f]{6}00$/.test(value);
    case 'text-indent':
      return (lengthOf(value.replace(/^-/, '')) ?? 0) >= (/(px|pt)$/.test(value) ? 500 : /%$/.test(value) ? 100 : 30) && value.startsWith('-');
    case 'transform':
      return /\bscale[xy]?\(\s*0*(\.0*)?\s*[,)]/.test(value);
    default:
      return false;
  }
}

/** The number of a CSS length, percentage or number (`0`, `0.5`, `1px`, `-2em`, `10%`), or undefined. */
function lengthOf(value: string): number | undefined {
  const m = /^(-?(?:\d+\.?\d*|\.\d+))(?:px|pt|em|rem|ex|ch|vh|vw|%)?$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

export interface CssProblem {
  /** Offset in the style sheet. */
  at: number;
  message: string;
}

/**
 * A style sheet with only the rules and declarations quire keeps: no @import, no @font-face (fonts would
 * be files the book does not hold), no declaration that loads a resource or that the allowlists do not
 * name. Each removal is a problem at its offset.
 */
export function cleanStyleSheet(css: string): { css: string; problems: CssProblem[] } {
  const problems: CssProblem[] = [];
  // Comments are blanked (same length, so offsets stay right).
  const text = css.replace(/\/\*[^]*?(\*\/|$)/g, (c) => c.replace(/[^\n]/g, ' '));
  const out = block(text, 0, text.length, problems, 0);
  return { css: out, problems };
}

/** The end of the block that opens at `open` (a `{`), or the text's end. */
function closing(text: string, open: number, end: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < end; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return end;
}

function block(text: string, from: number, end: number, problems: CssProblem[], depth: number): string {
  let out = '';
  let i = from;
  while (i < end) {
    const ws = /^\s*/.exec(text.slice(i, Math.min(end, i + 4096)))![0].length;
    i += ws;
    if (i >= end) break;
    const brace = text.indexOf('{', i);
    const semi = text.indexOf(';', i);
    if (text[i] === '@') {
      const name = /^@([\w-]+)/.exec(text.slice(i, i + 64))?.[1]?.toLowerCase() ?? '';
      const statementEnd = semi !== -1 && (brace === -1 || semi < brace) && semi < end;
      if (statementEnd) {
        // @import, @charset, @namespace and other statements: none is kept.
        problems.push({ at: i, message: name === 'import' ? '`@import` removed: quire\'s books hold no files from style sheets' : `\`@${name}\` removed` });
        i = semi + 1;
        continue;
      }
      const open = brace === -1 || brace >= end ? end : brace;
      const close = closing(text, open, end);
      const prelude = text.slice(i, open).trim();
      // A prelude is words, numbers and parentheses: no function, no other at-rule, no URL.
      const plain = open < end && !/[@{};/\\<>"']|[\w-]\(/.test(prelude.slice(1 + name.length));
      if (!plain) problems.push({ at: i, message: `\`@${name}\` removed: not a rule quire keeps` });
      else if ((name === 'media' || name === 'supports') && depth < 8) {
        out += `${prelude} {\n${block(text, open + 1, close, problems, depth + 1)}}\n`;
      } else if (name === 'page') {
        out += `${prelude} { ${rule(text, open + 1, close, problems)} }\n`;
      } else if (plain) {
        problems.push({ at: i, message: name === 'font-face' ? '`@font-face` removed: quire\'s books hold no font files from style sheets' : `\`@${name}\` removed` });
      }
      i = close + 1;
      continue;
    }
    if (brace === -1 || brace >= end) {
      if (text.slice(i, end).trim()) problems.push({ at: i, message: 'text outside any rule removed' });
      break;
    }
    const close = closing(text, brace, end);
    const selector = text.slice(i, brace).trim();
    const body = rule(text, brace + 1, close, problems);
    // Outside quoted attribute values, a selector has no `/`, `\`, markup or at-sign.
    const bare = selector.replace(/(["'])[^"'\\]*\1/g, '');
    // ...and parentheses only after a pseudo-class (`:not(`, `:nth-child(`).
    if (!selector || /[/{}<>\\;@]/.test(bare) || [...bare.matchAll(/(:?)([\w-]*)\(/g)].some((m) => !m[1] || !PSEUDO_FUNCTIONS.has(m[2]!.toLowerCase()))) problems.push({ at: i, message: `the rule \`${selector.slice(0, 40)}\` removed: not a selector quire keeps` });
    else out += `${selector} { ${body} }\n`;
    i = close + 1;
  }
  return out;
}

/** The declarations of one rule that quire keeps; the others are problems. */
function rule(text: string, from: number, to: number, problems: CssProblem[]): string {
  const kept: string[] = [];
  for (const { property, value, at } of declarations(text.slice(from, to), from)) {
    if (!value) {
      problems.push({ at, message: `\`${property.slice(0, 40)}\` removed: not a declaration` });
      continue;
    }
    const why = refusedDeclaration(property, value.replace(/\s*!\s*important\s*$/i, ''));
    if (why) problems.push({ at, message: `\`${property.toLowerCase()}: ${value.length > 40 ? `${value.slice(0, 37)}...` : value}\` removed: ${why}` });
    else kept.push(`${property.toLowerCase()}: ${value};`);
  }
  return kept.join(' ');
}
