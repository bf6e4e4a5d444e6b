#!/usr/bin/env node
// Entry point of the `quire` command: runs the compiled CLI.
// Ctrl-C while the modules load (a few hundred milliseconds) already ends the run cleanly: nothing has
// been written yet. Once loaded, the CLI takes over and also removes a book half-written.
const interrupted = (signal) => {
  process.stderr.write(`quire: interrupted (${signal}); no book written\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
const { main } = await import('../dist/src/cli.js');
process.off('SIGINT', interrupted);
process.off('SIGTERM', interrupted);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`quire: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 70;
  },
);
