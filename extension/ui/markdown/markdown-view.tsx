import { memo, useMemo, useState } from 'react';
import { createBlockSplitter, type MarkdownBlockSource } from './block-splitter.ts';
import { CodeBlock } from './code-block.tsx';
import { MarkdownBlock } from './markdown-block.tsx';
import { useThrottledText } from './use-throttled-text.ts';
import './markdown.css';

/** Props of {@link MarkdownView}. */
export type MarkdownViewProps = {
  /** Model output (untrusted). */
  readonly text: string;
  /** True while deltas are still arriving: renders are throttled, blocks memoised. */
  readonly streaming?: boolean;
};

/**
 * Renders model output as GitHub-flavoured Markdown, safely: no raw HTML, only
 * http/https/mailto links (with their real URL visible), images loaded only on click,
 * highlighted code blocks with copy. See README.md in this folder.
 */
export function MarkdownView({ text, streaming = false }: MarkdownViewProps) {
  const shown = useThrottledText(text, streaming);
  return (
    <div className="md-view" data-testid="markdown-view" aria-busy={streaming}>
      <MarkdownBody text={shown} streaming={streaming} />
    </div>
  );
}

/**
 * Memoised on the throttled text: deltas that do not reach the screen cost only the
 * throttle hook above, not a walk over every block.
 */
const MarkdownBody = memo(function MarkdownBody(props: { text: string; streaming: boolean }) {
  const { text, streaming } = props;
  // One splitter per mounted view: its cache is what makes streaming incremental.
  const [splitter] = useState(createBlockSplitter);
  // A finished answer gets one fresh parse, so what stays on screen never depends on
  // how the deltas happened to be cut (unchanged blocks still skip re-rendering).
  const blocks = useMemo(
    () => (streaming ? splitter : createBlockSplitter()).split(text),
    [splitter, text, streaming],
  );
  const groups: (readonly MarkdownBlockSource[])[] = [];
  for (let at = 0; at < blocks.length; at += GROUP_SIZE) {
    groups.push(blocks.slice(at, at + GROUP_SIZE));
  }
  // Index keys are right here: a block's position is its identity while streaming.
  return groups.map((group, index) => <BlockGroup key={index} blocks={group} />);
});

/**
 * Blocks are rendered in groups so that a long answer (hundreds of blocks) costs React
 * a few dozen memo checks per streamed frame rather than one per block.
 */
const GROUP_SIZE = 32;

const sameBlock = (a: MarkdownBlockSource | undefined, b: MarkdownBlockSource | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.kind === b.kind && a.source === b.source);

const BlockGroup = memo(
  function BlockGroup({ blocks }: { blocks: readonly MarkdownBlockSource[] }) {
    return blocks.map((block, index) => <Block key={index} block={block} />);
  },
  (a, b) =>
    a.blocks.length === b.blocks.length && a.blocks.every((x, i) => sameBlock(x, b.blocks[i])),
);

/** One block, memoised on its content rather than its object identity. */
const Block = memo(
  function Block({ block }: { block: MarkdownBlockSource }) {
    switch (block.kind) {
      case 'code':
        return <CodeBlock code={block.code} language={block.language} />;
      case 'plain':
        return <pre className="md-fallback">{block.source}</pre>;
      case 'markdown':
        return <MarkdownBlock source={block.source} />;
    }
  },
  (a, b) => sameBlock(a.block, b.block),
);
