import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { PageServices } from '../../adapters/create-page-services';
import type { MemoryEntry } from '../../core/memory/types';
import { InlineInput } from '../form-fields';
import '../data/data.css';
import { dataErrorText } from '../data/data-ui';
import { OptionsSection } from './options-section';

/** Options → Memory: what the assistant remembers; search, edit, delete, add, clear all. */
export function MemorySection({ services }: { services: PageServices }) {
  const { memory, repos } = services;
  const [entries, setEntries] = useState<MemoryEntry[]>([]);
  const [titles, setTitles] = useState(new Map<string, string>());
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<{ id: string; text: string }>();
  const [draft, setDraft] = useState('');
  const [status, setStatus] = useState<string>();
  const [confirmClear, setConfirmClear] = useState(false);

  const reload = useCallback(async () => {
    const [list, convs] = await Promise.all([memory.list(), repos.conversations.list()]);
    setEntries(list);
    setTitles(new Map(convs.flatMap((c) => (c.ok ? [[c.id, c.value.title]] : []))));
  }, [memory, repos.conversations]);
  useEffect(() => {
    void reload().catch(() => setStatus('Your memory could not be loaded.'));
    return memory.subscribe(() => void reload().catch(() => undefined));
  }, [memory, reload]);

  const attempt = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setStatus(done);
    } catch (err) {
      setStatus(dataErrorText(err, 'That did not work. Please try again.'));
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void attempt(async () => {
      await memory.add({ text: draft, source: 'user' });
      setDraft('');
    }, 'Added.');
  };
  const saveEdit = (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    void attempt(async () => {
      await memory.update(editing.id, editing.text);
      setEditing(undefined);
    }, 'Saved.');
  };

  const q = query.trim().toLowerCase();
  const shown = q ? entries.filter((e) => e.text.toLowerCase().includes(q)) : entries;

  return (
    <OptionsSection id="memory" title="Memory" testId="memory-section">
      <p className="muted">
        Short facts the assistant keeps across conversations, stored encrypted like everything else.
        Correct or delete anything here; what you change is what it remembers.
      </p>
      <InlineInput
        label="Search memory"
        testId="memory-search"
        type="search"
        placeholder="Search memory…"
        value={query}
        onChange={setQuery}
      />
      {shown.length === 0 && (
        <p className="muted" data-testid="memory-empty">
          {entries.length === 0 ? 'Nothing remembered yet.' : 'No memory matches.'}
        </p>
      )}
      <ul className="stack" data-testid="memory-list">
        {shown.map((m) => (
          <li
            key={m.id}
            className="memory-item card"
            data-testid="memory-item"
            data-memory-id={m.id}
          >
            {editing?.id === m.id ? (
              <form className="row" onSubmit={saveEdit}>
                <InlineInput
                  label="Memory text"
                  testId="memory-edit-input"
                  className="grow"
                  value={editing.text}
                  onChange={(text) => setEditing({ id: m.id, text })}
                />
                <button type="submit" data-testid="memory-edit-save">
                  Save
                </button>
                <button type="button" onClick={() => setEditing(undefined)}>
                  Cancel
                </button>
              </form>
            ) : (
              <span data-testid="memory-text">{m.text}</span>
            )}
            <span className="muted" data-testid="memory-source">
              {m.source === 'model' ? 'Saved by the assistant' : 'Added by you'}
              {m.conversationId &&
                ` · from “${titles.get(m.conversationId) ?? 'a deleted conversation'}”`}
              {` · ${new Date(m.updatedAt).toLocaleDateString()}`}
            </span>
            <div className="row">
              <button
                type="button"
                data-testid="memory-edit"
                onClick={() => setEditing({ id: m.id, text: m.text })}
              >
                Edit
              </button>
              <button
                type="button"
                data-testid="memory-delete"
                onClick={() => void attempt(() => memory.remove(m.id), 'Deleted.')}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={add}>
        <InlineInput
          label="New memory"
          testId="memory-add-input"
          className="grow"
          placeholder="Something Nook should remember…"
          value={draft}
          onChange={setDraft}
        />
        <button type="submit" data-testid="memory-add">
          Add
        </button>
      </form>
      <div className="row">
        {confirmClear ? (
          <>
            <span>Forget all {entries.length} memories?</span>
            <button
              type="button"
              className="danger"
              data-testid="memory-clear-confirm"
              onClick={() =>
                void attempt(async () => {
                  await memory.clear();
                  setConfirmClear(false);
                }, 'All memory cleared.')
              }
            >
              Clear all memory
            </button>
            <button type="button" onClick={() => setConfirmClear(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button
            type="button"
            data-testid="memory-clear"
            disabled={entries.length === 0}
            onClick={() => setConfirmClear(true)}
          >
            Clear all memory…
          </button>
        )}
      </div>
      {status && (
        <p className="muted" role="status" data-testid="memory-status">
          {status}
        </p>
      )}
    </OptionsSection>
  );
}
