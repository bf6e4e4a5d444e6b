// Base: the page a video, audio or other embedded frame can be watched on. Shared by quire add, which writes
// a page's frames and players as links (add/markdown.ts), and the build, which does so for a site's shortcodes
// (render/shortcodes.ts).

const YOUTUBE = /^https?:\/\/(?:www\.|m\.)?(?:youtube(?:-nocookie)?\.com\/(?:embed\/|v\/|watch\?v=)|youtu\.be\/)([\w-]{6,})/i;
const VIMEO = /^https?:\/\/(?:player\.)?vimeo\.com\/(?:video\/)?(\d+)/i;

/** A YouTube player's or page's address: the video's id; undefined for any other address. */
export function youtubeId(src: string): string | undefined {
  return YOUTUBE.exec(src)?.[1];
}

/** The page a video, audio or other embed can be watched on, and a thumbnail when one is known. */
export function embedLink(src: string, poster?: string): { url: string; thumbnail?: string; label: string } {
  const yt = youtubeId(src);
  if (yt) return { url: `https://www.youtube.com/watch?v=${yt}`, thumbnail: poster ?? `https://img.youtube.com/vi/${yt}/hqdefault.jpg`, label: 'Video on YouTube' };
  // A tweet embedded as a frame: its id is in the frame's address.
  const tweet = /^https?:\/\/platform\.(?:twitter|x)\.com\/embed\/Tweet\.html\?(?:[^#]*&)?id=(\d+)/i.exec(src);
  if (tweet) return { url: `https://twitter.com/i/status/${tweet[1]}`, thumbnail: poster, label: 'Post on X (Twitter)' };
  const vimeo = VIMEO.exec(src);
  if (vimeo) return { url: `https://vimeo.com/${vimeo[1]}`, thumbnail: poster, label: 'Video on Vimeo' };
  let host = '';
  try {
    host = new URL(src).hostname.replace(/^www\./, '');
  } catch {
    // The label does without a host.
  }
  return { url: src, thumbnail: poster, label: host ? `Embedded content from ${host}` : 'Embedded content' };
}
