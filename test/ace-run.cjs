// Run DAISY Ace on EPUB files and write what test/ace.test.ts needs as JSON:
//   node test/ace-run.cjs OUT.json BOOK.epub...
// A child process of its own, because Ace writes its report to stdout and sets up a global logger.
// The browser is whatever PUPPETEER_EXECUTABLE_PATH names (Debian's Chromium in the tests).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ace = require('@daisy/ace-core');
const puppeteerRunner = require('@daisy/ace-axe-runner-puppeteer');

// Ace launches and closes the browser for every book; one browser serves them all, closed at the end.
let launched;
const axeRunner = { ...puppeteerRunner, launch: () => (launched ??= puppeteerRunner.launch()), close: async () => {} };

async function main() {
  const [out, ...books] = process.argv.slice(2);
  if (!out || books.length === 0) throw new Error('usage: node test/ace-run.cjs OUT.json BOOK.epub...');
  const results = [];
  for (const book of books) {
    const [, report] = await ace(path.resolve(book), { cwd: path.dirname(path.resolve(book)), silent: true, initLogger: true }, axeRunner);
    const subject = report['earl:testSubject'] ?? {};
    results.push({
      book,
      outcome: report['earl:result']?.['earl:outcome'],
      documents: report.assertions.map((a) => a['earl:testSubject']?.url),
      violations: report.assertions.flatMap((a) =>
        (a.assertions ?? []).map((v) => ({
          impact: v['earl:test']?.['earl:impact'],
          rule: v['earl:test']?.['dct:title'],
          document: a['earl:testSubject']?.url,
          description: v['earl:result']?.['dct:description'],
          html: v['earl:result']?.html,
        })),
      ),
      metadata: subject.metadata ?? {},
      a11yMetadata: report['a11y-metadata'] ?? {},
      images: report.data?.images ?? [],
    });
  }
  if (launched) await launched.then(() => puppeteerRunner.close());
  fs.writeFileSync(out, JSON.stringify(results, null, 1));
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`ace-run: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
