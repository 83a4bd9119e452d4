import { useState, type FormEvent } from 'react';
import type { AppSettings } from '../../core/models';
import { DEFAULT_PRICES, parsePrice, type ModelPrice } from '../../core/usage/prices';
import { InlineInput } from '../form-fields';

/** The editable price table: defaults plus the user's rows; user rows win. */
export function PriceEditor({
  settings,
  onSave,
}: {
  settings: AppSettings;
  onSave: (prices: Record<string, ModelPrice>) => Promise<void>;
}) {
  const [model, setModel] = useState('');
  const [input, setInput] = useState('');
  const [output, setOutput] = useState('');
  const [status, setStatus] = useState<string>();
  const overrides = settings.prices ?? {};
  const rows = [...new Set([...Object.keys(DEFAULT_PRICES), ...Object.keys(overrides)])].sort();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parsePrice(model, input, output);
    if (!parsed.ok) return setStatus(parsed.message);
    await onSave({ ...overrides, [parsed.model]: parsed.price });
    setStatus(`Saved the price of ${parsed.model}.`);
    setModel('');
    setInput('');
    setOutput('');
  };
  const reset = async (id: string) => {
    const next = { ...overrides };
    delete next[id];
    await onSave(next);
    setStatus(`${id} uses the default price again.`);
  };
  const edit = (id: string, p: ModelPrice) => {
    setModel(id);
    setInput(String(p.input));
    setOutput(String(p.output));
  };

  return (
    <div className="stack">
      <h3>Prices (US dollars per 1M tokens)</h3>
      <p className="muted">
        List prices of common models; edit any row or add your own (a local model can cost 0).
        Models are matched by id prefix, so “gpt-4o” also prices “gpt-4o-2024-08-06”.
      </p>
      <table className="data-table" data-testid="price-table">
        <thead>
          <tr>
            <th>Model</th>
            <th className="num">Input</th>
            <th className="num">Output</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((id) => {
            const p = (overrides[id] ?? DEFAULT_PRICES[id]) as ModelPrice;
            return (
              <tr key={id} data-testid="price-row" data-model={id}>
                <td>{id}</td>
                <td className="num">{p.input}</td>
                <td className="num">{p.output}</td>
                <td>
                  <button type="button" onClick={() => edit(id, p)}>
                    Edit
                  </button>
                  {overrides[id] && (
                    <button type="button" onClick={() => void reset(id)}>
                      {DEFAULT_PRICES[id] ? 'Default' : 'Remove'}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form className="row" onSubmit={(e) => void submit(e)}>
        <InlineInput
          label="Model id"
          testId="price-model"
          placeholder="model id"
          value={model}
          onChange={setModel}
        />
        <InlineInput
          label="Input price per 1M tokens"
          testId="price-input"
          placeholder="input $"
          value={input}
          onChange={setInput}
        />
        <InlineInput
          label="Output price per 1M tokens"
          testId="price-output"
          placeholder="output $"
          value={output}
          onChange={setOutput}
        />
        <button data-testid="price-save" type="submit">
          Save price
        </button>
      </form>
      {status && (
        <p className="muted" role="status" data-testid="price-status">
          {status}
        </p>
      )}
    </div>
  );
}
