// Stage: settle. Chapter titles that tell the chapters apart: a title several chapters share, from their
// `#` headings, names each chapter with the section that opens it.
import type { RenderedChapter } from '../model.js';

/**
 * The chapters, each whose title (from its `#` heading, not its front matter) it shares with another chapter
 * and whose text opens with a section heading at once given that section's name after it: fastify's 47
 * guides each open with `<h1 align="center">Fastify</h1>` and then `## Benchmarking`, and the contents listed
 * "Fastify" 47 times. The entry is now "Fastify: Benchmarking", and the section's own entry, which led to the
 * same place, is left out of the contents; the chapter's text is as written. New objects: a chapter kept by
 * watch mode is given again to the next build.
 */
export function distinctTitles<C extends Pick<RenderedChapter, 'title' | 'sections' | 'leadSection'>>(chapters: readonly C[]): C[] {
  const count = new Map<string, number>();
  for (const c of chapters) count.set(c.title, (count.get(c.title) ?? 0) + 1);
  return chapters.map((c) => {
    if (c.leadSection === undefined || (count.get(c.title) ?? 0) < 2) return c;
    const section = c.sections.find((s) => s.id === c.leadSection);
    if (!section?.text.trim() || section.text === c.title) return c;
    return { ...c, title: `${c.title}: ${section.text}`, sections: c.sections.filter((s) => s !== section) };
  });
}
