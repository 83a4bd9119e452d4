import { useState } from 'react';
import { SAVE_MEMORY_TOOL, saveMemoryDisplay } from '../../core/memory/save-memory-tool';
import { registerToolRenderer, useToolServices, type ToolRenderProps } from './tool-call-card';

/** "Remembered: …" with Undo (deletes the entry again). */
function SaveMemoryResult({ call }: ToolRenderProps) {
  const { memory } = useToolServices();
  const [undone, setUndone] = useState<'no' | 'yes' | 'failed'>('no');
  if (call.state.status !== 'done') return null;
  const shown = saveMemoryDisplay(call.state.outcome);
  if (!shown) return <p className="small error">{call.state.outcome.content}</p>;
  if (undone === 'yes') return <p className="small muted">Forgotten.</p>;
  return (
    <p data-testid="memory-remembered" className="small row">
      <span className="grow">Remembered: {shown.text}</span>
      {memory && (
        <button
          data-testid="memory-undo"
          type="button"
          className="link"
          onClick={() =>
            void memory.remove(shown.entryId).then(
              () => setUndone('yes'),
              () => setUndone('failed'),
            )
          }
        >
          Undo
        </button>
      )}
      {undone === 'failed' && <span className="error">Could not undo; try Options → Memory.</span>}
    </p>
  );
}

function SaveMemoryArgs({ call }: ToolRenderProps) {
  const text = typeof call.arguments.text === 'string' ? call.arguments.text : '';
  return <blockquote className="small">{text}</blockquote>;
}

registerToolRenderer(SAVE_MEMORY_TOOL, {
  title: () => 'Remember a fact',
  Args: SaveMemoryArgs,
  Result: SaveMemoryResult,
});
