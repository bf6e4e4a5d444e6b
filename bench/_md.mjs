import fs from 'node:fs';
const { markdownToHtml } = await import(process.argv[2] ?? '../dist/src/render/markdown.js');
const files = fs.readdirSync('/tmp/rd').map((f) => fs.readFileSync('/tmp/rd/' + f, 'utf8').replace(/^---[^]*?\n---\n/, ''));
const out = [];
for (let pass = 0; pass < 4; pass++) {
  const t = performance.now(); let n = 0;
  for (const b of files) n += markdownToHtml(b, { math: true, highlight: false }).html.length;
  out.push((performance.now() - t).toFixed(0));
}
console.log(out.join(' '));
