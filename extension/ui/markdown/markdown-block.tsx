import { Component, memo, type ErrorInfo, type ReactNode } from 'react';
import Markdown, { type Components, type ExtraProps } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import rehypeSanitize from 'rehype-sanitize';
import { CodeBlock } from './code-block.tsx';
import { MarkdownImage } from './markdown-image.tsx';
import { MarkdownLink } from './markdown-link.tsx';
import { remarkHtmlAsText } from './remark-html-as-text.ts';
import { markdownUrlTransform } from './safe-url.ts';

type HastElement = NonNullable<ExtraProps['node']>;
type HastNode = HastElement['children'][number];

// Module-level so react-markdown sees stable plugin lists on every render.
const remarkPlugins = [remarkGfm, remarkHtmlAsText];
// Second line of defence: the GitHub schema strips event handlers, styles, unknown
// elements and non-allow-listed URL schemes even if a plugin above ever lets one by.
const rehypePlugins = [rehypeSanitize];

const components: Components = {
  a: MarkdownLink,
  img: MarkdownImage,
  pre: FencedCode,
  input: TaskCheckbox,
  table: ({ children }) => (
    // Wide tables scroll sideways instead of widening a ~400 px panel.
    <div className="md-table-wrap">
      <table>{children}</table>
    </div>
  ),
};

/** Props of {@link MarkdownBlock}. */
export type MarkdownBlockProps = {
  /** Markdown source of one top-level block (or of a whole message). */
  readonly source: string;
};

/**
 * One block of model output rendered safely. Memoised on `source`: during streaming
 * only the block still growing renders again.
 */
export const MarkdownBlock = memo(function MarkdownBlock({ source }: MarkdownBlockProps) {
  return (
    <BlockErrorBoundary source={source}>
      <Markdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        urlTransform={markdownUrlTransform}
        components={components}
        skipHtml
      >
        {source}
      </Markdown>
    </BlockErrorBoundary>
  );
});

/** `pre > code` → our code block with label, copy and highlighting. */
function FencedCode({ node }: ExtraProps) {
  const code = node?.children.find(
    (child): child is HastElement => child.type === 'element' && child.tagName === 'code',
  );
  const classes = code?.properties['className'];
  const languageClass = Array.isArray(classes)
    ? classes.find((c): c is string => typeof c === 'string' && c.startsWith('language-'))
    : undefined;
  const text = code ? textOf(code) : '';
  return (
    <CodeBlock
      code={text.endsWith('\n') ? text.slice(0, -1) : text}
      language={languageClass?.slice('language-'.length) ?? ''}
    />
  );
}

/** GFM task-list checkbox: display only (the answer is not a form). */
function TaskCheckbox({ checked, type }: { checked?: boolean; type?: string }) {
  if (type !== 'checkbox') return null;
  return <input type="checkbox" checked={checked === true} readOnly disabled />;
}

function textOf(node: HastElement | HastNode): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

type BoundaryProps = { readonly source: string; readonly children: ReactNode };
type BoundaryState = { readonly failedSource: string | undefined };

/**
 * If a pathological input breaks rendering (e.g. nesting deep enough to exhaust the
 * stack), show that block as plain text rather than losing the whole answer. A class
 * because React offers error boundaries only as classes.
 */
class BlockErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failedSource: undefined };

  static getDerivedStateFromError(): Partial<BoundaryState> {
    return { failedSource: '' };
  }

  override componentDidCatch(_error: unknown, _info: ErrorInfo): void {
    // Record which source failed so a later (streamed) source gets a fresh try.
    this.setState({ failedSource: this.props.source });
  }

  override render(): ReactNode {
    const { failedSource } = this.state;
    if (failedSource !== undefined && (failedSource === '' || failedSource === this.props.source)) {
      return <pre className="md-fallback">{this.props.source}</pre>;
    }
    return this.props.children;
  }
}
