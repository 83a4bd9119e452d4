import type { InputHTMLAttributes, ReactNode } from 'react';

/**
 * Controlled inputs the Options, sync and data screens share: a field under a visible
 * label, and a compact one (table rows, filters) named for screen readers only. `onChange`
 * receives the new text; every other prop goes to the `<input>` as given.
 */

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & {
  testId: string;
  value: string;
  onChange: (value: string) => void;
};

/** An input under a visible label. */
export function TextField({
  label,
  testId,
  value,
  onChange,
  ...input
}: InputProps & { label: ReactNode }) {
  return (
    <label>
      {label}
      <input
        data-testid={testId}
        {...input}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}

/** An input with no visible label; `label` becomes its accessible name. */
export function InlineInput({
  label,
  testId,
  value,
  onChange,
  ...input
}: InputProps & { label: string }) {
  return (
    <input
      data-testid={testId}
      aria-label={label}
      {...input}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
