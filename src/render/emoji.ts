// Stage: render (Markdown). GitHub's emoji shortcodes, by name (`tada`, `+1`): the only file that knows gemoji.
import { gemoji } from 'gemoji';

/** Each shortcode's name and its emoji. */
export const EMOJI: ReadonlyMap<string, string> = new Map(gemoji.flatMap((e) => e.names.map((name) => [name, e.emoji] as const)));
