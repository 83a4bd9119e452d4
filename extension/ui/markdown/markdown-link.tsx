import type { ReactNode } from 'react';
import type { ExtraProps } from 'react-markdown';
import { checkUrl } from './safe-url.ts';

type HastElement = NonNullable<ExtraProps['node']>;
type HastNode = HastElement['children'][number];

/** Props react-markdown passes to the `a` override (only the ones we read). */
export type MarkdownLinkProps = {
  readonly href?: string | undefined;
  readonly children?: ReactNode;
} & ExtraProps;

/**
 * A link from model output. Shows where it really goes when the text says something
 * else (`[your bank](https://evil.example)` → "your bank (evil.example)"), opens in a
 * new tab without opener/referrer, and degrades to plain text for any refused URL.
 * The model's own `title` is ignored: ours is the full URL.
 */
export function MarkdownLink({ href, children, node }: MarkdownLinkProps) {
  // urlTransform already emptied refused URLs; checking again costs nothing and keeps
  // this component safe even if it is ever used without that transform.
  const check = checkUrl(href ?? '', 'link');
  if (!check.ok) {
    // GFM footnote links point inside the page (#user-content-fn-1); they lose their
    // jump but are not suspicious, so no warning note.
    const props = node?.properties ?? {};
    if (props['dataFootnoteRef'] !== undefined || props['dataFootnoteBackref'] !== undefined) {
      return <span className="md-footnote-ref">{children}</span>;
    }
    return (
      <span
        className="md-link-blocked"
        title="Link removed: only http, https and mailto links open"
      >
        {children}
        <span className="md-link-note"> (link removed)</span>
      </span>
    );
  }
  const text = node ? textOf(node).trim() : '';
  const showUrl = !sameAsUrl(text, check.href, check.display);
  const anchorProps = {
    href: check.href,
    target: '_blank',
    rel: 'noopener noreferrer nofollow',
    title: check.href,
    referrerPolicy: 'no-referrer',
  } as const;
  // An image inside a link would put the load button inside the anchor (one click
  // would both load and navigate): keep the content outside and link the URL only.
  if (node && containsImage(node)) {
    return (
      <span className="md-link">
        {children}{' '}
        <a {...anchorProps} data-testid="link-url" dir="ltr">
          {check.display}
        </a>
      </span>
    );
  }
  return (
    <a {...anchorProps} className="md-link">
      {children}
      {showUrl ? (
        // dir isolates the URL from bidi controls in the link text (U+202E would
        // otherwise render "evil.example" reversed).
        <span className="md-link-url" data-testid="link-url" dir="ltr">
          {' '}
          ({check.display})
        </span>
      ) : null}
    </a>
  );
}

function sameAsUrl(text: string, href: string, display: string): boolean {
  const norm = (value: string): string =>
    // Only the scheme is compared loosely: a path differing in case is a different URL.
    value.replace(/^(https?:\/\/|mailto:)/i, '').replace(/\/$/, '');
  const t = norm(text);
  return t === norm(href) || t === norm(display);
}

function textOf(node: HastElement | HastNode): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

function containsImage(node: HastElement | HastNode): boolean {
  if (node.type !== 'element') return false;
  return node.tagName === 'img' || node.children.some(containsImage);
}
