// Books that assistive technology can read: DAISY Ace, the accessibility checker for EPUB (axe-core in
// headless Chromium, plus checks of the package), run on the project's own book and on fixture books with
// images, tables, code, task lists, footnotes, SVG and MathML. No serious or critical violation is allowed. Ace must
// have examined every page of the reading order and found the schema.org accessibility metadata that the
// package declares, so a clean report cannot come from a check that looked at nothing. And the check can
// fail: the same books with their accessibility metadata or their image descriptions taken out are flagged.
// Ace runs in a child process (test/ace-run.cjs) with Debian's Chromium; no browser download.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { makeBook } from '../src/index.js';
import { exec, FIXTURES, openEpub, ROOT, tempDir } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNNER = path.join(ROOT, 'test', 'ace-run.cjs');
const hasChromium = fs.existsSync(CHROMIUM);
const hasAce = ['@daisy/ace-core', '@daisy/ace-axe-runner-puppeteer'].every((name) => {
  try {
    createRequire(path.join(ROOT, 'package.json')).resolve(name);
    return true;
  } catch {
    return false;
  }
});
if (!hasChromium) {
  process.stderr.write(`\n!! SKIPPED the accessibility tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium; .ci/run does)\n\n`);
  if (process.env.QUIRE_REQUIRE_CHROMIUM === '1') throw new Error('QUIRE_REQUIRE_CHROMIUM=1 but Chromium is missing');
}
if (!hasAce) {
  process.stderr.write('\n!! SKIPPED the accessibility tests: DAISY Ace (@daisy/ace-core, @daisy/ace-axe-runner-puppeteer) is not installed (npm install)\n\n');
}
if (process.env.QUIRE_REQUIRE_ACE === '1' && !(hasAce && hasChromium)) {
  throw new Error(`QUIRE_REQUIRE_ACE=1 but ${hasAce ? `Chromium (${CHROMIUM})` : 'DAISY Ace'} is missing`);
}

interface Violation {
  impact: 'minor' | 'moderate' | 'serious' | 'critical';
  rule: string;
  document: string;
  description: string;
  html?: string;
}

interface AceResult {
  book: string;
  outcome: 'pass' | 'fail';
  /** The test subjects: the package document, the navigation document, every content document. */
  documents: string[];
  violations: Violation[];
  /** The package's metadata as Ace read it. */
  metadata: Record<string, string | string[]>;
  a11yMetadata: { present?: string[]; missing?: string[]; empty?: string[] };
  images: { src: string; alt: string | null; location: string }[];
}

/** Schema.org accessibility metadata that quire declares in every package document. */
const A11Y_METADATA = ['schema:accessMode', 'schema:accessModeSufficient', 'schema:accessibilityFeature', 'schema:accessibilityHazard', 'schema:accessibilitySummary'];

const BOOKS = {
  own: { cwd: ROOT, articlesDir: 'articles' },
  images: { cwd: path.join(FIXTURES, 'images') },
  gfm: { cwd: path.join(FIXTURES, 'gfm') },
  footnotes: { cwd: path.join(FIXTURES, 'footnotes') },
  'svg-mathml': { cwd: path.join(FIXTURES, 'svg-mathml') },
  math: { cwd: path.join(FIXTURES, 'math') },
  // A README: badges that are linked images (which fail offline), folded blocks, a wide table, Arabic.
  devices: { cwd: path.join(FIXTURES, 'devices') },
};
type Name = keyof typeof BOOKS | 'no-metadata' | 'no-alt' | 'no-link-name';

function format(violations: Violation[]): string {
  return violations.map((v) => `  ${v.impact} ${v.rule} in ${v.document}${v.html ? `: ${v.html}` : ''}\n    ${v.description.replace(/\n/g, '\n    ')}`).join('\n');
}

const serious = (r: AceResult) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

describe('accessibility (DAISY Ace)', { skip: !(hasAce && hasChromium) && 'no DAISY Ace or no Chromium' }, () => {
  const epubs = new Map<Name, Buffer>();
  const reports = new Map<Name, AceResult>();

  before(async () => {
    for (const [name, options] of Object.entries(BOOKS)) {
      const result = await makeBook({ ...options, remote: { offline: true } });
      assert.ok(result.epub, `the ${name} book is made`);
      epubs.set(name as Name, result.epub);
    }
    // The negative controls: the project's book without its accessibility metadata, the images fixture
    // without the descriptions of its images.
    const own = await openEpub(epubs.get('own')!);
    const opf = await own.text('OEBPS/content.opf');
    const stripped = opf.replace(/^\s*<meta property="schema:(accessMode|accessibilityFeature)">[^<]*<\/meta>\n/gm, '');
    assert.notEqual(stripped, opf, 'the metadata was there to take out');
    own.zip.file('OEBPS/content.opf', stripped);
    epubs.set('no-metadata', await own.zip.generateAsync({ type: 'nodebuffer' }));
    const images = await openEpub(epubs.get('images')!);
    const chapter = await images.text('OEBPS/chapter-photos.xhtml');
    const noAlt = chapter.replace(/(<img\b[^>]*?) alt="[^"]*"/g, '$1');
    assert.notEqual(noAlt, chapter, 'the image descriptions were there to take out');
    images.zip.file('OEBPS/chapter-photos.xhtml', noAlt);
    epubs.set('no-alt', await images.zip.generateAsync({ type: 'nodebuffer' }));
    // And the README with its badge links emptied, as they were when a failed image left nothing.
    const readme = await openEpub(epubs.get('devices')!);
    const page = await readme.text('OEBPS/chapter-readme.xhtml');
    const emptied = page.replace(/(<a href="[^"]+">)<span class="image-missing">[^<]*<\/span>(<\/a>)/g, '$1$2');
    assert.notEqual(emptied, page, 'the badge links had names to take out');
    readme.zip.file('OEBPS/chapter-readme.xhtml', emptied);
    epubs.set('no-link-name', await readme.zip.generateAsync({ type: 'nodebuffer' }));

    // One Ace process and one browser for every book.
    const dir = tempDir('quire-ace-');
    const files = [...epubs].map(([name, epub]) => {
      const file = path.join(dir, `${name}.epub`);
      fs.writeFileSync(file, epub);
      return file;
    });
    const out = path.join(dir, 'ace.json');
    // Ace's log files and settings go to the temporary folder, not the home folder.
    const env = { ...process.env, PUPPETEER_EXECUTABLE_PATH: CHROMIUM, XDG_STATE_HOME: dir, XDG_CONFIG_HOME: dir };
    const run = await exec(process.execPath, [RUNNER, out, ...files], ROOT, env);
    assert.equal(run.code, 0, `Ace ran:\n${run.stderr}`);
    for (const result of JSON.parse(fs.readFileSync(out, 'utf8')) as AceResult[]) {
      reports.set(path.basename(result.book, '.epub') as Name, result);
    }
    assert.equal(reports.size, epubs.size, 'Ace reported on every book');
  });

  /** Ace looked at the package, the navigation document and every document of the spine. */
  async function assertExaminedEverything(name: Name) {
    const book = await openEpub(epubs.get(name)!);
    const opf = await book.text('OEBPS/content.opf');
    const hrefs = new Map([...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
    const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => hrefs.get(m[1]!)!);
    assert.ok(spine.some((href) => href.startsWith('chapter-')), `${name}: the spine has chapters`);
    const report = reports.get(name)!;
    for (const href of spine) assert.ok(report.documents.includes(href), `${name}: Ace examined ${href}; it examined ${report.documents.join(', ')}`);
    assert.ok(report.documents.includes('OEBPS/content.opf'), `${name}: Ace examined the package document`);
    assert.ok(report.documents.includes('/OEBPS/toc.xhtml'), `${name}: Ace examined the navigation document`);
  }

  /** Ace found the schema.org accessibility metadata, with the values the package document declares. */
  async function assertMetadata(name: Name) {
    const report = reports.get(name)!;
    assert.deepEqual([...(report.a11yMetadata.present ?? [])].sort(), [...A11Y_METADATA].sort(), `${name}: Ace found the accessibility metadata`);
    for (const property of A11Y_METADATA) assert.ok(!report.a11yMetadata.missing?.includes(property), `${name}: ${property} is not missing`);
    const opf = await (await openEpub(epubs.get(name)!)).text('OEBPS/content.opf');
    const declared = new Map<string, string[]>();
    for (const m of opf.matchAll(/<meta property="(schema:[^"]+)">([^<]*)<\/meta>/g)) declared.set(m[1]!, [...(declared.get(m[1]!) ?? []), m[2]!]);
    assert.deepEqual([...declared.keys()].sort(), [...A11Y_METADATA].sort(), `${name}: the package declares the accessibility metadata`);
    for (const [property, values] of declared) {
      const seen = report.metadata[property];
      assert.deepEqual(Array.isArray(seen) ? seen : [seen], values, `${name}: Ace read ${property}`);
    }
    assert.ok(declared.get('schema:accessMode')!.includes('textual'), `${name}: the book is textual`);
    assert.ok(declared.get('schema:accessibilityFeature')!.includes('tableOfContents'), `${name}: the book has a table of contents`);
  }

  it("finds no serious or critical violation in the project's book", async () => {
    const report = reports.get('own')!;
    assert.deepEqual(serious(report), [], `Ace's serious and critical violations:\n${format(serious(report))}`);
    assert.equal(report.outcome, 'pass', `Ace passes the book outright:\n${format(report.violations)}`);
    await assertExaminedEverything('own');
    await assertMetadata('own');
  });

  it('finds no serious or critical violation in books with images, footnotes, SVG and MathML', async () => {
    for (const name of ['images', 'footnotes', 'svg-mathml'] as const) {
      const report = reports.get(name)!;
      assert.deepEqual(serious(report), [], `${name}: Ace's serious and critical violations:\n${format(serious(report))}`);
      await assertExaminedEverything(name);
      await assertMetadata(name);
    }
    // Every image of the images chapter reached Ace, with its description ('' for the decorative one).
    const chapter = await (await openEpub(epubs.get('images')!)).text('OEBPS/chapter-photos.xhtml');
    const alts = [...chapter.matchAll(/<img\b[^>]*? alt="([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(alts.length >= 8, 'the images chapter has its images');
    const seen = reports.get('images')!.images.filter((i) => i.location.startsWith('chapter-photos.xhtml'));
    assert.deepEqual(
      seen.map((i) => i.alt),
      alts,
      'Ace saw every image of the chapter and its description',
    );
  });

  it('finds no violation at all in a book with tables, code and task lists, or in one with math', async () => {
    for (const name of ['gfm', 'math'] as const) {
      const report = reports.get(name)!;
      // Task-list checkboxes carry their state as a label; formulas carry their TeX as alttext.
      assert.deepEqual(report.violations, [], `${name}: Ace's violations:\n${format(report.violations)}`);
      assert.equal(report.outcome, 'pass');
      await assertExaminedEverything(name);
      await assertMetadata(name);
    }
  });

  it('finds no serious or critical violation in a README built offline, whose badge images all failed', async () => {
    const report = reports.get('devices')!;
    assert.deepEqual(serious(report), [], `Ace's serious and critical violations:\n${format(serious(report))}`);
    await assertExaminedEverything('devices');
    await assertMetadata('devices');
    const chapter = await (await openEpub(epubs.get('devices')!)).text('OEBPS/chapter-readme.xhtml');
    assert.match(chapter, /<a href="https:\/\/www\.npmjs\.com\/package\/widget"><span class="image-missing">https:\/\/www\.npmjs\.com\/package\/widget<\/span><\/a>/, 'a badge without a description is named by where it leads');
  });

  it('does flag a book without its accessibility metadata, and images without descriptions', async () => {
    const noMetadata = reports.get('no-metadata')!;
    const rules = serious(noMetadata).map((v) => `${v.impact} ${v.rule} in ${v.document}`);
    assert.ok(rules.includes('serious metadata-accessmode in OEBPS/content.opf'), `missing schema:accessMode is serious; Ace said:\n${format(noMetadata.violations)}`);
    assert.ok(rules.includes('serious metadata-accessibilityfeature in OEBPS/content.opf'), `missing schema:accessibilityFeature is serious; Ace said:\n${format(noMetadata.violations)}`);
    assert.equal(noMetadata.outcome, 'fail');

    const noAlt = reports.get('no-alt')!;
    const unlabelled = serious(noAlt).filter((v) => v.rule === 'image-alt' && v.document === 'chapter-photos.xhtml');
    assert.ok(unlabelled.length >= 8, `every image without a description is flagged; Ace said:\n${format(noAlt.violations)}`);
    assert.equal(noAlt.outcome, 'fail');

    const noLinkName = reports.get('no-link-name')!;
    const nameless = serious(noLinkName).filter((v) => v.rule === 'link-name' && v.document === 'chapter-readme.xhtml');
    assert.equal(nameless.length, 2, `both emptied badge links are flagged; Ace said:\n${format(noLinkName.violations)}`);
  });
});
