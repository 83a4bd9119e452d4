import { lazy, Suspense, type ComponentType } from 'react';
import type { MarkdownViewProps } from './markdown-view.tsx';

/**
 * The Markdown renderer (remark, rehype-sanitize, react-markdown: ~55 kB gzipped) is
 * not needed to show the unlock screen or the composer, so it loads on demand and the
 * side panel opens faster. Until it has loaded (normally before the first message is on
 * screen, see {@link preloadMarkdown}) the text shows as plain, inert text.
 */
const load = (): Promise<{ default: ComponentType<MarkdownViewProps> }> =>
  import('./markdown-view.tsx').then(
    (m) => ({ default: m.MarkdownView }),
    // A chunk that cannot load (extension updated underneath the page) must not take
    // the panel down: the text stays readable, unformatted.
    () => ({ default: PlainText }),
  );

const View = lazy(load);

/** Starts loading the renderer, e.g. when the chat view mounts. */
export function preloadMarkdown(): void {
  void load();
}

function PlainText({ text }: MarkdownViewProps) {
  return (
    <div className="plain" data-testid="markdown-pending">
      {text}
    </div>
  );
}

/** `<MarkdownView text streaming? />`, loaded on first use. */
export function MarkdownView(props: MarkdownViewProps) {
  return (
    <Suspense fallback={<PlainText {...props} />}>
      <View {...props} />
    </Suspense>
  );
}
