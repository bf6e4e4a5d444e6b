// quire's style sheet, made for e-readers: the reader's own font and size are respected (no fixed sizes
// in px for text), code wraps instead of running off an e-ink screen, tables and images fit the page.
export const BOOK_CSS = `/* quire */
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 0.5em; line-height: 1.45; text-align: left; text-align: start; widows: 2; orphans: 2; overflow-wrap: break-word; }
p { margin: 0 0 0.8em 0; }
h1, h2, h3, h4, h5, h6 { line-height: 1.2; margin: 1.4em 0 0.5em 0; page-break-after: avoid; break-after: avoid; page-break-inside: avoid; break-inside: avoid; hyphens: none; -webkit-hyphens: none; }
h1 { font-size: 1.6em; } h2 { font-size: 1.35em; } h3 { font-size: 1.15em; } h4, h5, h6 { font-size: 1em; }
.chapter { page-break-before: always; break-before: page; }
.chapter-header { margin: 0 0 1.5em 0; }
.chapter-title { margin-top: 0.5em; }
.byline { font-style: italic; margin: 0; }
.byline a { text-decoration: none; }
.description { font-style: italic; margin: 0.6em 0 0 0; }
a { color: inherit; text-decoration: underline; word-wrap: break-word; overflow-wrap: anywhere; }
blockquote { margin: 1em 1.5em; padding: 0 0 0 0.8em; border-left: 0.2em solid #888; }
.markdown-alert { margin: 1em 0; padding: 0 0 0 0.8em; border-left: 0.25em solid #888; }
.markdown-alert-title { font-weight: bold; margin-bottom: 0.3em; }
.details { margin: 1em 0; padding: 0 0 0 0.8em; border-left: 0.2em solid #888; }
.details-summary { font-weight: bold; margin-bottom: 0.3em; }
.markdown-alert-note { border-color: #0969da; } .markdown-alert-tip { border-color: #1a7f37; } .markdown-alert-important { border-color: #8250df; }
.markdown-alert-warning { border-color: #9a6700; } .markdown-alert-caution { border-color: #d1242f; }
pre { white-space: pre-wrap; word-wrap: break-word; overflow-wrap: anywhere; font-family: monospace, monospace; font-size: 0.9em; line-height: 1.35; margin: 1em 0; padding: 0.5em; border: 1px solid #999; page-break-inside: auto; }
/* "monospace, monospace": Blink and WebKit start a lone monospace at 13px instead of the reader's size. */
code, kbd, samp { font-family: monospace, monospace; font-size: 0.9em; hyphens: none; -webkit-hyphens: none; overflow-wrap: anywhere; }
pre code, td code, th code { font-size: 1em; }
table { border-collapse: collapse; margin: 1em 0; max-width: 100%; font-size: 0.9em; }
/* Nothing may run off a small screen: a wide table's cells wrap anywhere rather than be cut off. */
th, td { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; word-wrap: break-word; overflow-wrap: anywhere; word-break: break-word; }
th { font-weight: bold; }
img { max-width: 100%; height: auto; }
figure { margin: 1em 0; text-align: center; }
/* A code block's file name, on a tab just above the code and kept on its page. Not centred as an image's
   caption is: the code would inherit the centring, each line centred. */
figure.code { text-align: left; text-align: start; }
figure.code figcaption { font-size: 0.9em; margin: 0; padding: 0.2em 0.5em; border: 1px solid #999; border-bottom: none; page-break-after: avoid; break-after: avoid; }
figure.code figcaption code { font-size: 1em; font-weight: bold; }
figure.code pre { margin-top: 0; }
hr { border: none; border-top: 1px solid #888; margin: 1.5em 20%; }
ul, ol { margin: 0 0 0.8em 0; padding-left: 1.5em; }
/* An item that runs against its list (a Hebrew item in an English list) keeps its marker inside the page. */
li[dir] { list-style-position: inside; }
li > p { margin-bottom: 0.3em; }
dt { font-weight: bold; }
dd { margin: 0 0 0.5em 1.5em; }
sup, sub { line-height: 0; }
.noteref { text-decoration: none; }
.footnotes { margin-top: 2em; border-top: 1px solid #888; padding-top: 0.5em; font-size: 0.9em; }
.footnote { margin: 0 0 0.6em 0; }
.footnote-back { text-decoration: none; }
.endnotes-list { list-style-type: none; padding-left: 0; }
.endnote { margin: 0 0 0.6em 0; }
.chapter-notes h2 { font-size: 1.15em; }
.image-missing { font-style: italic; }
.task-list-item { list-style-type: none; }
input[type=checkbox] { margin: 0 0.3em 0 -1.2em; }
.contents-page ol { list-style-type: none; padding-left: 0; }
.contents-page ol ol { padding-left: 1.5em; }
.contents-page li { margin: 0.3em 0; }
.contents-page a { text-decoration: none; }
.cover-page { margin: 0; padding: 0; text-align: center; }
.cover img { max-width: 100%; max-height: 100vh; height: auto; }
.math-display { margin: 1em 0; text-align: center; overflow-x: auto; }
/* "block math" (MathML Core) centres a formula; a lone "block" lays it out as a left-aligned box in current Chromium.
   Readers that do not know "block math" keep "block", and text-align centres what they draw. */
math[display=block] { display: block; display: block math; margin: 0.5em 0; text-align: center; }
.math-error { font-style: italic; }
/* Highlighted code: told apart by weight and style on e-ink, by colour too where there is some. */
.hljs-keyword, .hljs-selector-tag, .hljs-literal, .hljs-section, .hljs-name, .hljs-type, .hljs-built_in, .hljs-doctag, .hljs-strong { font-weight: bold; }
.hljs-comment, .hljs-quote, .hljs-meta, .hljs-emphasis { font-style: italic; }
.hljs-keyword, .hljs-selector-tag, .hljs-literal, .hljs-name { color: #7d2a7a; }
.hljs-type, .hljs-built_in, .hljs-title, .hljs-section, .hljs-attr, .hljs-attribute, .hljs-selector-id, .hljs-selector-class { color: #1e4f8f; }
.hljs-string, .hljs-regexp, .hljs-char, .hljs-addition, .hljs-template-tag, .hljs-template-variable { color: #2b6320; }
.hljs-number, .hljs-symbol, .hljs-bullet, .hljs-variable, .hljs-link { color: #8a4b08; }
.hljs-comment, .hljs-quote, .hljs-meta { color: #5f5f5f; }
.hljs-deletion { color: #a31515; text-decoration: line-through; }
.hljs-addition { text-decoration: underline; }
/* Light colours for dark mode, but only on a dark ground of their own: some readers report dark mode and still
   paint the page white (calibre's converter does), where #9fd68f on white would be 1.7:1. */
@media (prefers-color-scheme: dark) {
  code.hljs { background-color: #1e1e1e; color: #e6e6e6; }
  pre > code.hljs { display: block; margin: -0.5em; padding: 0.5em; }
  code.hljs .hljs-keyword, code.hljs .hljs-selector-tag, code.hljs .hljs-literal, code.hljs .hljs-name { color: #e19ee0; }
  code.hljs .hljs-type, code.hljs .hljs-built_in, code.hljs .hljs-title, code.hljs .hljs-section, code.hljs .hljs-attr, code.hljs .hljs-attribute, code.hljs .hljs-selector-id, code.hljs .hljs-selector-class { color: #8cb8f2; }
  code.hljs .hljs-string, code.hljs .hljs-regexp, code.hljs .hljs-char, code.hljs .hljs-addition, code.hljs .hljs-template-tag, code.hljs .hljs-template-variable { color: #9fd68f; }
  code.hljs .hljs-number, code.hljs .hljs-symbol, code.hljs .hljs-bullet, code.hljs .hljs-variable, code.hljs .hljs-link { color: #efb070; }
  code.hljs .hljs-comment, code.hljs .hljs-quote, code.hljs .hljs-meta { color: #a8a8a8; }
  code.hljs .hljs-deletion { color: #f08080; }
}
[dir=rtl] ul, [dir=rtl] ol { padding-left: 0; padding-right: 1.5em; }
[dir=rtl] blockquote, blockquote[dir=rtl] { border-left: none; border-right: 0.2em solid #888; padding: 0 0.8em 0 0; }
[dir=rtl] .details, .details[dir=rtl] { border-left: none; border-right: 0.2em solid #888; padding: 0 0.8em 0 0; }
[dir=rtl] .markdown-alert, .markdown-alert[dir=rtl] { border-left: none; border-right: 0.25em solid #888; padding: 0 0.8em 0 0; }
blockquote[dir=ltr] { border-right: none; border-left: 0.2em solid #888; padding: 0 0 0 0.8em; }
.details[dir=ltr] { border-right: none; border-left: 0.2em solid #888; padding: 0 0 0 0.8em; }
.markdown-alert[dir=ltr] { border-right: none; border-left: 0.25em solid #888; padding: 0 0 0 0.8em; }
`;
