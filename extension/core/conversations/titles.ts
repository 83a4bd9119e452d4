/** Longest automatic title, in characters. */
const MAX_TITLE = 48;
const MAX_WORDS = 6;

/** A conversation title from the first words of the first message. */
export function titleFromText(text: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'New conversation';
  let title = words.slice(0, MAX_WORDS).join(' ');
  if (title.length > MAX_TITLE) title = `${title.slice(0, MAX_TITLE - 1).trimEnd()}…`;
  else if (words.length > MAX_WORDS) title = `${title}…`;
  return title;
}
