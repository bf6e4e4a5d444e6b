// The floor the benchmark compares quire with: the same articles through the bare dependencies, with no
// other work (no sanitising, typography, footnotes, highlighting, cache or validity fixes).
//   node bench/baseline.mjs marked    Markdown to HTML with marked, nothing written
//   node bench/baseline.mjs epub      marked, then epub-gen-memory with its defaults, book written
// Run in the corpus folder; prints what it cost as JSON on stdout's last line, as measure.mjs does.
import fs from 'node:fs';
import { marked } from 'marked';
import { processCost } from './cost.mjs';

const what = process.argv[2];
const files = fs.readdirSync('articles').filter((f) => f.endsWith('.md')).sort();
const chapters = files.map((f) => {
  const text = fs.readFileSync(`articles/${f}`, 'utf8').replace(/^---\n[^]*?\n---\n/, '');
  return { title: f, content: marked.parse(text) };
});
if (what === 'epub') {
  const { EPub } = await import('epub-gen-memory');
  const book = new EPub({ title: 'Bench', author: 'Bench', description: 'Bench' }, chapters);
  fs.writeFileSync('baseline.epub', await book.genEpub());
} else if (what !== 'marked') throw new Error('usage: baseline.mjs marked|epub');
process.stdout.write(`\n${JSON.stringify(processCost())}\n`);
