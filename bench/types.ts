/** One benchmark figure. Timings are reported, never asserted (these machines are noisy). */
export interface BenchResult {
  name: string;
  unit: string;
  p50?: number;
  p95?: number;
  value?: number;
  /** A baseline measured in the same run, so the ratio survives a noisy machine. */
  baseline?: { name: string; value: number };
  ratio?: number;
  note?: string;
}
