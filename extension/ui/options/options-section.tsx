import type { ReactNode } from 'react';

/**
 * The card every Options section sits in: a region named by its own heading (so screen
 * readers list it by title), with the test id the e2e page objects look for.
 */
export function OptionsSection({
  id,
  title,
  testId,
  children,
}: {
  /** Prefix of the heading's id (`<id>-title`). */
  id: string;
  title: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <section className="card stack" aria-labelledby={`${id}-title`} data-testid={testId}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}
