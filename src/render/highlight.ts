// The syntax-highlighting seam: fenced code with a language -> highlight.js spans (class `hljs-*`), which
// the book's style sheet shows by weight and style as well as colour, for e-ink and night mode.
// The common languages load on first use; the rest of highlight.js only when an article asks for one.
import { createRequire } from 'node:module';

interface HljsResult {
  value: string;
}
interface Hljs {
  registerLanguage(name: string, language: unknown): void;
  getLanguage(name: string): unknown;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): HljsResult;
}

const COMMON = ['bash', 'c', 'cpp', 'csharp', 'css', 'diff', 'dockerfile', 'go', 'ini', 'java', 'javascript', 'json', 'kotlin', 'makefile', 'markdown', 'php', 'plaintext', 'python', 'ruby', 'rust', 'shell', 'sql', 'swift', 'typescript', 'xml', 'yaml'];

/** Longest code block highlighted; longer ones are left plain (highlighting time grows with size). */
const MAX_CODE = 200_000;

const require = createRequire(import.meta.url);
let hljs: Hljs | undefined;
let complete = false;

/** The code as highlighted HTML, or undefined when the language is unknown (the caller escapes it plainly). */
export function highlightCode(code: string, lang: string): string | undefined {
  if (code.length > MAX_CODE || !/^[\w+#.-]{1,40}$/.test(lang)) return undefined;
  if (!hljs) {
    hljs = require('highlight.js/lib/core') as Hljs;
    for (const name of COMMON) hljs.registerLanguage(name, require(`highlight.js/lib/languages/${name}`));
  }
  const name = lang.toLowerCase();
  if (!hljs.getLanguage(name) && !complete) {
    require('highlight.js'); // registers every language with the same core
    complete = true;
  }
  if (!hljs.getLanguage(name)) return undefined;
  try {
    return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
  } catch {
    return undefined;
  }
}
