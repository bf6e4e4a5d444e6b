// The accessibility tests drive Debian's Chromium (/usr/bin/chromium) through DAISY Ace's puppeteer
// runner; puppeteer must not download a browser of its own on `npm install` (there may be no internet).
module.exports = { skipDownload: true };
