// The fonts quire draws the generated cover's text with: files shipped by npm packages, so that every machine
// draws the same pixels, and a font for every script a title can hold. DejaVu draws Latin, Greek and
// Cyrillic; Noto fonts (SIL Open Font License) draw the rest.
// Which font draws a character is decided here, by its script; text-shape.ts shapes each run in its font.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The folder of an installed package: from its package.json, else from its main file (some export nothing else). */
function packageDir(name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    let dir = path.dirname(require.resolve(name));
    while (!fs.existsSync(path.join(dir, 'package.json'))) {
      const up = path.dirname(dir);
      if (up === dir) throw new Error(`cannot find the folder of ${name}`);
      dir = up;
    }
    return dir;
  }
}

/** A family quire draws with: its name as the font files give it, and its regular and bold files. */
export interface FontFamily {
  family: string;
  files: () => [regular: string, bold: string];
}

const dejavu = (regular: string, bold: string) => () => {
  const dir = path.join(packageDir('dejavu-fonts-ttf'), 'ttf');
  return [path.join(dir, regular), path.join(dir, bold)] as [string, string];
};
const embedpdf = (pkg: string, regular: string, bold: string) => () => {
  const dir = path.join(packageDir(pkg), 'fonts');
  return [path.join(dir, regular), path.join(dir, bold)] as [string, string];
};
const expo = (pkg: string, stem: string) => () => {
  const dir = packageDir(pkg);
  return [path.join(dir, '400Regular', `${stem}_400Regular.ttf`), path.join(dir, '700Bold', `${stem}_700Bold.ttf`)] as [string, string];
};

export const FAMILIES = {
  serif: { family: 'DejaVu Serif', files: dejavu('DejaVuSerif.ttf', 'DejaVuSerif-Bold.ttf') },
  sans: { family: 'DejaVu Sans', files: dejavu('DejaVuSans.ttf', 'DejaVuSans-Bold.ttf') },
  // Noto Sans CJK's Simplified Chinese set: all unified ideographs of the BMP, kana and bopomofo.
  han: { family: 'Noto Sans S Chinese', files: embedpdf('@embedpdf/fonts-sc', 'NotoSansHans-Regular.otf', 'NotoSansHans-Bold.otf') },
  hangul: { family: 'Noto Sans Korean', files: embedpdf('@embedpdf/fonts-kr', 'NotoSansKR-Regular.otf', 'NotoSansKR-Bold.otf') },
  arabic: { family: 'Noto Naskh Arabic', files: embedpdf('@embedpdf/fonts-arabic', 'NotoNaskhArabic-Regular.ttf', 'NotoNaskhArabic-Bold.ttf') },
  hebrew: { family: 'Noto Sans Hebrew', files: embedpdf('@embedpdf/fonts-hebrew', 'NotoSansHebrew-Regular.ttf', 'NotoSansHebrew-Bold.ttf') },
  devanagari: { family: 'Noto Sans Devanagari', files: expo('@expo-google-fonts/noto-sans-devanagari', 'NotoSansDevanagari') },
  thai: { family: 'Noto Sans Thai', files: expo('@expo-google-fonts/noto-sans-thai', 'NotoSansThai') },
  emoji: { family: 'Noto Emoji', files: expo('@expo-google-fonts/noto-emoji', 'NotoEmoji') },
} satisfies Record<string, FontFamily>;

export type FamilyName = keyof typeof FAMILIES;

const SCRIPTS: [RegExp, FamilyName][] = [
  [/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef]/u, 'han'],
  [/\p{Script=Hangul}/u, 'hangul'],
  [/\p{Script=Arabic}/u, 'arabic'],
  [/\p{Script=Hebrew}/u, 'hebrew'],
  [/[\p{Script=Devanagari}\u0964\u0965]/u, 'devanagari'],
  [/\p{Script=Thai}/u, 'thai'],
];

/** An emoji: a pictograph past the symbols DejaVu draws, a flag, or anything asking for emoji presentation. */
const EMOJI = /[\u{1F000}-\u{1FAFF}\p{Regional_Indicator}\uFE0F\u20E3]/u;

/**
 * The family that draws a grapheme: its script's, `'base'` for the letters and symbols the run's own
 * DejaVu family has (Latin, Greek, Cyrillic...), undefined for what every font draws (spaces, digits,
 * punctuation).
 */
export function graphemeFamily(grapheme: string): FamilyName | 'base' | undefined {
  if (EMOJI.test(grapheme)) return 'emoji';
  for (const [re, family] of SCRIPTS) if (re.test(grapheme)) return family;
  return /[\p{L}\p{M}\p{S}]/u.test(grapheme) ? 'base' : undefined;
}

export interface FontRun {
  text: string;
  family: FamilyName;
}

/**
 * `text` cut into runs, each drawn by one family: `base` for the scripts DejaVu has, the script's Noto
 * font for the others. Spaces, digits and punctuation stay with the run they stand in, so that a run
 * is cut only where the script changes.
 */
export function fontRuns(text: string, base: FamilyName): FontRun[] {
  const runs: FontRun[] = [];
  for (const { segment } of new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)) {
    const found = graphemeFamily(segment);
    const last = runs[runs.length - 1];
    // Neutral text stays in the run it stands in, but not in an emoji run: the emoji font has no space.
    const family = found === undefined ? (last && last.family !== 'emoji' ? last.family : base) : found === 'base' ? base : found;
    if (last && last.family === family) last.text += segment;
    else runs.push({ text: segment, family });
  }
  return runs;
}
