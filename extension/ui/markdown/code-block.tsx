import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { highlighter as defaultHighlighter, type HighlightTree } from './highlighter.ts';

type HastChild = HighlightTree['children'][number];

/** Props of {@link CodeBlock}. */
export type CodeBlockProps = {
  /** The code exactly as the model wrote it (no trailing fence newline). */
  readonly code: string;
  /** Fence info word (`ts`, `python`…), '' when none. Shown as a label. */
  readonly language: string;
};

const COPY_FEEDBACK_MS = 1_500;
const MAX_LABEL_LENGTH = 24;

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * A fenced code block: language label, copy button, highlighted body. Memoised on
 * (code, language) so a finished block is highlighted once however long the stream runs.
 */
export const CodeBlock = memo(function CodeBlock({ code, language }: CodeBlockProps) {
  const [copy, setCopy] = useState<CopyState>('idle');
  const resetTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(resetTimer.current), []);

  // The grammars load on first use; until then the block is plain text.
  const [ready, setReady] = useState(defaultHighlighter.isReady);
  useEffect(() => {
    if (ready || language === '') return undefined;
    let live = true;
    defaultHighlighter.ready().then(
      () => live && setReady(true),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [ready, language]);

  const body = useMemo(() => {
    if (!ready) return code;
    const result = defaultHighlighter.highlight(code, language);
    return result.kind === 'highlighted' ? renderTree(result.tree.children) : code;
  }, [code, language, ready]);

  const onCopy = (): void => {
    const done = (state: CopyState): void => {
      setCopy(state);
      clearTimeout(resetTimer.current);
      resetTimer.current = setTimeout(() => setCopy('idle'), COPY_FEEDBACK_MS);
    };
    // The clipboard API may be missing (insecure context) or refuse (no focus): say so.
    const clipboard = globalThis.navigator?.clipboard;
    if (!clipboard) {
      done('failed');
      return;
    }
    clipboard.writeText(code).then(
      () => done('copied'),
      () => done('failed'),
    );
  };

  const label =
    language.length > MAX_LABEL_LENGTH ? `${language.slice(0, MAX_LABEL_LENGTH)}…` : language;

  return (
    <div className="md-code">
      <div className="md-code-header">
        <span className="md-code-lang" data-testid="code-language">
          {label || 'text'}
        </span>
        <button
          type="button"
          className="md-code-copy"
          data-testid="code-copy"
          onClick={onCopy}
          aria-live="polite"
        >
          {copy === 'copied' ? 'Copied' : copy === 'failed' ? 'Copy failed' : 'Copy'}
        </button>
      </div>
      <pre className="md-code-body">
        <code className="hljs">{body}</code>
      </pre>
    </div>
  );
});

/**
 * lowlight's tree → React. Only spans and text exist in it; anything else is rendered
 * as its text so an unexpected node can never become an element.
 */
function renderTree(nodes: readonly HastChild[]): ReactNode[] {
  return nodes.map((node, index) => {
    if (node.type === 'text') return node.value;
    if (node.type === 'element') {
      const className = node.properties['className'];
      return (
        <span key={index} className={Array.isArray(className) ? className.join(' ') : undefined}>
          {renderTree(node.children)}
        </span>
      );
    }
    return null;
  });
}
