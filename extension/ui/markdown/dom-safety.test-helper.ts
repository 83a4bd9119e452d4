/**
 * Assertions shared by the markdown tests: what "safe" means for a rendered answer.
 * Returns the list of violations (empty when safe) so a failure names every problem.
 */

const FORBIDDEN_TAGS = [
  'script',
  'iframe',
  'frame',
  'object',
  'embed',
  'style',
  'link',
  'meta',
  'base',
  'form',
  'svg',
  'math',
  'video',
  'audio',
  'source',
  'template',
] as const;

const URL_ATTRIBUTES = ['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'poster'];
const ALLOWED_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** Every way the rendered DOM could run script or fetch something by itself. */
export function findDomViolations(root: Element, options: { imagesAllowed: boolean }): string[] {
  const problems: string[] = [];
  for (const tag of FORBIDDEN_TAGS) {
    if (root.querySelector(tag)) problems.push(`<${tag}> element present`);
  }
  for (const element of root.querySelectorAll('*')) {
    for (const attr of element.getAttributeNames()) {
      const name = attr.toLowerCase();
      if (name.startsWith('on')) problems.push(`<${element.tagName}> has ${name}`);
      if (name === 'style') problems.push(`<${element.tagName}> has a style attribute`);
      if (URL_ATTRIBUTES.includes(name)) {
        const value = element.getAttribute(attr) ?? '';
        let protocol = 'relative';
        try {
          protocol = new URL(value).protocol;
        } catch {
          // stays 'relative': also a violation (would resolve inside the extension)
        }
        if (!ALLOWED_PROTOCOLS.has(protocol)) {
          problems.push(`<${element.tagName}> ${name}="${value.slice(0, 60)}" (${protocol})`);
        }
      }
    }
  }
  if (!options.imagesAllowed) {
    for (const img of root.querySelectorAll('img')) {
      problems.push(`<img> rendered before a click (src=${img.getAttribute('src') ?? ''})`);
    }
  }
  for (const anchor of root.querySelectorAll('a')) {
    const rel = (anchor.getAttribute('rel') ?? '').split(/\s+/);
    if (anchor.getAttribute('target') !== '_blank') problems.push('<a> without target=_blank');
    for (const needed of ['noopener', 'noreferrer', 'nofollow']) {
      if (!rel.includes(needed)) problems.push(`<a> rel lacks ${needed}`);
    }
  }
  return problems;
}
