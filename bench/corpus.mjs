// Generates a realistic corpus of Markdown articles with a fixed seed:
// front matter, headings, paragraphs with emphasis and links, lists, code, tables, quotes, footnotes.
// Usage: node bench/corpus.mjs DIR COUNT [SEED]
import fs from 'node:fs';
import path from 'node:path';

/** Numbers in [0, 1) from `seed` by xorshift32: the same sequence on every machine. */
export function seededRandom(seed = 1) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

export function generateCorpus(dir, count, seed = 1) {
  const rand = seededRandom(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const words = 'the of and a to in is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their its can more would if about when what so no said who into some could them other than then now only its also after these two may first new years because like time people over any very most such years before where just those well much own should through still between many being under same while last world state great city work way life part each even end'.split(' ');
  const sentence = () => {
    const n = 8 + Math.floor(rand() * 14);
    const out = [];
    for (let i = 0; i < n; i++) {
      let w = pick(words);
      const r = rand();
      if (r < 0.04) w = `*${w}*`;
      else if (r < 0.06) w = `**${w}**`;
      else if (r < 0.08) w = `\`${w}\``;
      else if (r < 0.1) w = `[${w}](https://example.com/${w})`;
      else if (r < 0.11) w = `"${w}"`;
      out.push(w);
    }
    const s = out.join(' ');
    return s[0].toUpperCase() + s.slice(1) + pick(['.', '.', '.', '?', '!']);
  };
  const paragraph = () => Array.from({ length: 3 + Math.floor(rand() * 4) }, sentence).join(' ');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= count; i++) {
    const name = `article-${String(i).padStart(5, '0')}.md`;
    const parts = [`---\ntitle: "Article ${i}: ${sentence().slice(0, 40).replace(/["*`[\]()]/g, '')}"\nauthor: Author ${i % 37}\ndate: 20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}\nsource: Example Weekly\n---\n`];
    let notes = 0;
    while (parts.join('\n').length < 5800) {
      const r = rand();
      if (r < 0.12) parts.push(`## ${sentence().slice(0, 50).replace(/[*`[\]()"]/g, '')}`);
      else if (r < 0.18) parts.push(Array.from({ length: 3 + Math.floor(rand() * 4) }, () => `- ${sentence()}`).join('\n'));
      else if (r < 0.22) parts.push(Array.from({ length: 3 }, (_, k) => `${k + 1}. ${sentence()}`).join('\n'));
      else if (r < 0.26) parts.push(`\`\`\`js\nfunction f${i}(a, b) {\n  return a < b ? "less" : 'more';\n}\n\`\`\``);
      else if (r < 0.29) parts.push(`| Name | Value | Note |\n|:-----|------:|:----:|\n| a | ${i} | ${pick(words)} |\n| b | ${i * 2} | ${pick(words)} |`);
      else if (r < 0.32) parts.push(`> ${sentence()} ${sentence()}`);
      else if (r < 0.36) {
        notes++;
        parts.push(`${sentence()}[^${notes}]\n\n[^${notes}]: ${sentence()}`);
      } else if (r < 0.38 && i > 1) parts.push(`See also [the previous article](article-${String(i - 1).padStart(5, '0')}.md).`);
      else parts.push(paragraph());
    }
    fs.writeFileSync(path.join(dir, name), parts.join('\n\n') + '\n');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, count, seed] = process.argv.slice(2);
  generateCorpus(dir, Number(count ?? 100), Number(seed ?? 1));
}
