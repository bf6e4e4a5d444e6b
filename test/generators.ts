// Generators of hostile Markdown for the property tests: every construct quire supports, mixed with
// broken HTML, entities, control characters, astral and right-to-left text, and script attempts.
import fc from 'fast-check';

const WORDS = ['alpha', 'beta', 'AT&T', '1 < 2', 'a > b', '"quoted"', "it's", '--', '...', 'x*y', '_u_', '\\', '`', '|', '#', '&amp;', '&nbsp;', '&bogus;', '&#0;', '&#xD800;', '&#x1F600;', '\u0000', '\u0001', '\u001b', '\u007f', '\u0085', '\ufeff', '\uffff', '\ud800', '\udc00', '😀', '𝔘𝔫𝔦', 'مرحبا', 'שלום', '\u202e', '日本語', ' ', '\t', 'https://example.com/a?b=1&c=2#x#y', 'www.example.org', 'mail@example.com', '<', '>', '&', '[', ']', '(', ')', '!', '~~', '$5', '$x$'];

const URLS = ['https://example.com/x', 'http://example.com/a b', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' java\tscript:x', 'vbscript:x', 'data:text/html,<script>x</script>', 'data:image/png;base64,iVBORw0KGgo=', 'file:///etc/passwd', '/etc/passwd', '../../etc/passwd', '..\\..\\x', 'other.md', 'other.md#part', 'missing.md', '#top', '#', '', 'mailto:a@b.c', '//evil.example/x.png', 'pics/x.png', 'x.png?y#z', '%2e%2e/%2e%2e/etc/passwd', 'C:\\Windows\\x.png', '\\\\server\\share\\x.png', 'https://matrix.to/#/#room:x', 'a"b', "a'b", 'a<b', '{{x}}'];

const RAW_HTML = [
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)><circle r="5"/></svg>', '<iframe src="https://x"></iframe>',
  '<a href="javascript:alert(1)">x</a>', '<form><input type=text><button>b</button></form>', '<style>*{}</style>', '<object data=x></object>',
  '<div style="background:url(http://x/y.png)">s</div>', '<p align=center>c</p>', '<center>c</center>', '<font color=red size=7>f</font>',
  '<table><tr><td>1<td>2</table>', '<b><i>mis</b>nested</i>', '<p>unclosed', '</div></p></span>', '<ul><p>x</ul>', '<li>orphan',
  '<details>no summary</details>', '<math><mi>x</mi><mo>+</mo><annotation-xml encoding="text/html"><script>x</script></annotation-xml></math>',
  '<svg><use href="#nope"/><a href="http://x"><text>t</text></a><foreignObject><div>x</div></foreignObject>loose</svg>',
  '<!-- comment -- -->', '<!DOCTYPE html>', '<?xml version="1.0"?>', '<![CDATA[x]]>', '<x-custom a=b>c</x-custom>', '<p id="dup">a</p><p id="dup">b</p>',
  '<a name="n">n</a>', '<a id="#weird id">w</a>', '<h2 id="">empty id</h2>', '<img>', '<img src="">', '<br/><hr><wbr>', '<base href="http://evil/">',
  '<meta http-equiv="refresh" content="0;url=http://x">', '<link rel=stylesheet href="http://x/y.css">', '<video src=v.mp4>fallback</video>',
  '<template><p>t</p></template>', '<noscript><p>n</p></noscript>', '<select><option>o</option></select>', '<textarea><p>t</textarea>',
  '<span><div>block</div></span>', '<p><table><tr><td>t</td></tr></table></p>', '<dl><p>p</p><dt>t</dt></dl>', '<bdo>b</bdo>', '<ruby>r<rt>t</rt></ruby>',
  '<input type=checkbox checked onclick=x>', '<a href="#dup">to dup</a>', '<sup><a href="#fn">1</a></sup>', '<svg><!DOCTYPE x [<!ENTITY a "aa">]><text>&a;</text></svg>',
];

/** TeX, valid and not: fractions, matrices, text with markup in it, commands Temml refuses, stray braces. */
const TEX = [
  'x^2', '\\frac{a}{b}', '\\sqrt[3]{x+1}', 'e^{i\\pi}+1=0', '\\sum_{n=1}^{\\infty} \\frac{1}{n^2}', '\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}',
  '\\text{<b>bold</b> & "q"}', '\\href{javascript:alert(1)}{x}', '\\url{http://x}', '\\htmlId{x}{y}', '\\class{c}{x}', '\\style{color:red}{x}',
  '\\color{red}{x}', '\\mathbf{F} = m\\mathbf{a}', '\\frac{a', '}{', '\\nosuchcommand', '\\left( x \\right.', 'a_{b_{c_{d}}}', '\\operatorname{sin} x',
  '\\mathrm{\\u0000}', 'α + β', '\\overbrace{x+y}^{n}', '\\def\\x{\\x}\\x', '\\tag{1} x', '\\label{eq} x', '\\ce{H2O}', '\\\\', '&', '<', '%comment',
];
const tex = fc.constantFrom(...TEX);

const word = fc.constantFrom(...WORDS);
const url = fc.constantFrom(...URLS);
const text = fc.array(fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));

const inline: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: text.map((t) => `*${t}*`) },
  { weight: 1, arbitrary: text.map((t) => `**${t}**`) },
  { weight: 1, arbitrary: text.map((t) => `~~${t}~~`) },
  { weight: 1, arbitrary: text.map((t) => `\`${t}\``) },
  { weight: 1, arbitrary: tex.map((t) => `$${t}$`) },
  { weight: 2, arbitrary: fc.tuple(text, url).map(([t, u]) => `[${t}](${u})`) },
  { weight: 2, arbitrary: fc.tuple(text, url).map(([t, u]) => `![${t}](${u})`) },
  { weight: 1, arbitrary: fc.tuple(text, url).map(([t, u]) => `[${t}](<${u}> "title")`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((n) => `[^${n}]`) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_HTML) },
);

const line = fc.array(inline, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(' ').replace(/\n/g, ' '));

const block: fc.Arbitrary<string> = fc.letrec<{ block: string }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: line },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), line).map(([n, l]) => `${'#'.repeat(n)} ${l}`) },
    { weight: 1, arbitrary: fc.array(line, { minLength: 1, maxLength: 4 }).map((items) => items.map((i) => `- ${i}`).join('\n')) },
    { weight: 1, arbitrary: fc.array(line, { minLength: 1, maxLength: 4 }).map((items) => items.map((i, k) => `${k + 1}. [${k % 2 ? 'x' : ' '}] ${i}`).join('\n')) },
    { weight: 1, arbitrary: tie('block').map((b) => b.split('\n').map((l) => `> ${l}`).join('\n')) },
    { weight: 1, arbitrary: tie('block').map((b) => `- item\n\n${b.split('\n').map((l) => `    ${l}`).join('\n')}`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('', 'js', 'html', '<script>', 'python', 'haskell', 'diff', 'nosuchlanguage', 'js title="x"', '{r}'), fc.array(text, { maxLength: 4 })).map(([lang, ls]) => `\`\`\`${lang}\n${ls.join('\n')}\n\`\`\``) },
    { weight: 1, arbitrary: tex.map((t) => `$$\n${t}\n$$`) },
    { weight: 1, arbitrary: fc.array(fc.tuple(inline, inline), { minLength: 1, maxLength: 3 }).map((rows) => `| a | b |\n|:--|--:|\n${rows.map(([x, y]) => `| ${x.replace(/\|/g, '')} | ${y.replace(/\|/g, '')} |`).join('\n')}`) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), line).map(([n, l]) => `[^${n}]: ${l}`) },
    { weight: 2, arbitrary: fc.array(fc.constantFrom(...RAW_HTML), { minLength: 1, maxLength: 4 }).map((h) => h.join('\n')) },
    { weight: 1, arbitrary: fc.constantFrom('***', '---', '___', '    indented code', '<div>\n\n**md in html**\n\n</div>') },
  ),
})).block;

/** Documents without raw HTML: everything in them is written by Marked itself. */
export const markdownWithoutHtml: fc.Arbitrary<string> = fc
  .array(block, { minLength: 1, maxLength: 10 })
  .map((blocks) => `${blocks.join('\n\n')}\n`.replace(/</g, '&lt;'));

/** A Markdown document: a handful of blocks separated by blank lines. */
export const markdownDocument: fc.Arbitrary<string> = fc.array(block, { minLength: 1, maxLength: 10 }).map((blocks) => `${blocks.join('\n\n')}\n`);

const YAML_PIECES = ['title', 'author', 'lang', 'order', 'toc-depth', 'date', 'cover', ':', ': ', '- ', '  ', '\n', '"', "'", '[', ']', '{', '}', '&a', '*a', '!!str', '!!binary', '#', '|', '>', '---', '...', '%YAML 1.2', '<<: *a', '? ', 'yes', 'null', '~', '1e400', '0x1F', '2024-02-30', 'en', '\t', 'é', '\u0000', '\ufeff'];

/** Text that looks more or less like YAML. */
export const yamlish: fc.Arbitrary<string> = fc.array(fc.oneof(fc.constantFrom(...YAML_PIECES), fc.string({ maxLength: 5 })), { maxLength: 30 }).map((p) => p.join(''));

const FM_KEYS = ['title', 'author', 'authors', 'date', 'url', 'tags', 'Lang', 'x_y', 'a-b', 'null', 'true'];
const FM_VALUES = [
  'Plain words', 'Words: with a colon', 'a:b', 'http://example.com/a?b#c', 'x # not a comment', 'x #comment', 'x#y', '2024-02-30',
  '2024', '1.5', '.5', '1e3', '0x1F', '0o17', '1_000', '-1', '+1', '.inf', '-.INF', '.NaN', 'null', 'Null', '~', 'true', 'False', 'yes',
  '"Quoted: text"', '"say \\"hi\\""', '"a\\tb"', "'single'", "'it''s'", "'x\"y'", '"x\'y"', '""', "''", '"open', "open'",
  '- dash', '-dash', '? q', ':colon', ',comma', '[a, b]', '{a: b}', '&anchor x', '*alias', '!tag x', '|', '>', '%pct', '@at', '`tick`',
  'trailing:', 'é ü 漢字 🙂', 'x\u0085y', 'tab\there', 'a  b', '.dot', 'Don\'t "quote" me',
];
const fmLine = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...FM_KEYS), fc.constantFrom(': ', ': ', ':  ', ':', ': \t'), fc.constantFrom(...FM_VALUES), fc.constantFrom('', '', ' ', '\t')).map((p) => p.join('')) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('', '  ', '  ', ' '), fc.constantFrom('- ', '- ', '-  ', '-'), fc.constantFrom(...FM_VALUES)).map((p) => p.join('')) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...FM_KEYS), fc.constantFrom('', '  ', '    '), fc.array(fc.constantFrom(...FM_VALUES), { minLength: 1, maxLength: 3 }))
      .map(([key, indent, items]) => `${key}:\n${items.map((v) => `${indent}- ${v}`).join('\n')}`),
  },
  { weight: 2, arbitrary: fc.constantFrom('', '# comment', '  # indented comment', '  nested: x', '---', '...', 'tags:', 'authors:', 'tags:', 'authors:') },
);

/** Front matter made of the lines articles mostly have, with the awkward values YAML reads differently. */
export const frontMatterish: fc.Arbitrary<string> = fc.array(fmLine, { maxLength: 5 }).map((lines) => lines.join('\n'));
