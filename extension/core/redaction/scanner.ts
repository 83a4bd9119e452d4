import { Priority } from './detector-kit';
import {
  PLACEHOLDER_TAG,
  type Candidate,
  type Detector,
  type Finding,
  type RedactionMap,
} from './types';

/** Placeholder-shaped text anywhere in a string (global; use with matchAll only). */
export const PLACEHOLDER_PATTERN = /\[([A-Z][A-Z_]{0,30})_(\d{1,6})\]/g;

/** Longest text a placeholder can have; the stream restorer never holds back more. */
export const MAX_PLACEHOLDER_LENGTH = 1 + 31 + 1 + 6 + 1;

/** An empty map, the start of every conversation. */
export function emptyRedactionMap(): RedactionMap {
  return { version: 1, entries: [], reserved: [] };
}

/**
 * Picks non-overlapping winners. Candidates are grouped into clusters of overlapping spans
 * (sorted by start, one pass); inside a cluster the higher priority, then the longer span,
 * then the earlier one wins. Clusters are tiny in practice, so this is n log n overall.
 */
export function resolveOverlaps(candidates: readonly Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end);
  const winners: Candidate[] = [];
  let cluster: Candidate[] = [];
  let clusterEnd = -1;
  const flush = () => {
    if (cluster.length === 1 && cluster[0]) winners.push(cluster[0]);
    else if (cluster.length > 1) winners.push(...pickInCluster(cluster));
    cluster = [];
  };
  for (const c of sorted) {
    if (c.start >= clusterEnd) {
      flush();
      clusterEnd = c.end;
    } else {
      clusterEnd = Math.max(clusterEnd, c.end);
    }
    cluster.push(c);
  }
  flush();
  return winners.sort((a, b) => a.start - b.start);
}

function pickInCluster(cluster: readonly Candidate[]): Candidate[] {
  const ranked = [...cluster].sort(
    (a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const taken: Candidate[] = [];
  for (const c of ranked) {
    if (taken.every((t) => c.end <= t.start || c.start >= t.end)) taken.push(c);
  }
  return taken;
}

/** Runs every detector and returns the winning, position-ordered candidates. */
export function detectAll(
  text: string,
  detectors: readonly Detector[],
  extra: readonly Candidate[] = [],
): Candidate[] {
  const all: Candidate[] = [...extra];
  for (const d of detectors) {
    for (const c of d.detect(text)) all.push(c);
  }
  return resolveOverlaps(all);
}

/**
 * Values this conversation already redacted are redacted again wherever they reappear,
 * even where no detector would fire on their own ("is Zq8pL2vX9k still right?").
 */
export function knownValueCandidates(text: string, map: RedactionMap): Candidate[] {
  const out: Candidate[] = [];
  for (const e of map.entries) {
    if (e.original.length < 4) continue;
    for (let at = text.indexOf(e.original); at !== -1; at = text.indexOf(e.original, at + 1)) {
      out.push({
        start: at,
        end: at + e.original.length,
        rule: 'known-value',
        kind: e.kind,
        label: 'Redacted earlier in this chat',
        priority: Priority.specific,
      });
    }
  }
  return out;
}

/** Placeholders already spoken for: in the text itself, and in the conversation's map. */
function reservedPlaceholders(text: string, map: RedactionMap): Set<string> {
  const used = new Set<string>(map.reserved);
  for (const e of map.entries) used.add(e.placeholder);
  for (const m of text.matchAll(PLACEHOLDER_PATTERN)) used.add(m[0]);
  return used;
}

/**
 * Turns winners into findings with placeholders. The same value gets the same placeholder
 * (also across turns, via `map`); numbering is per kind and skips any placeholder-shaped
 * text the user already wrote, so a literal `[SECRET_1]` in the input is never confused
 * with a real one.
 */
export function assignPlaceholders(
  text: string,
  winners: readonly Candidate[],
  map: RedactionMap,
): Finding[] {
  const used = reservedPlaceholders(text, map);
  const byValue = new Map<string, string>();
  for (const e of map.entries) byValue.set(`${e.kind}\u0000${e.original}`, e.placeholder);
  const next = new Map<string, number>();
  return winners.map((c, i) => {
    const key = `${c.kind}\u0000${text.slice(c.start, c.end)}`;
    let placeholder = byValue.get(key);
    if (placeholder === undefined) {
      const tag = PLACEHOLDER_TAG[c.kind];
      let n = next.get(tag) ?? 1;
      while (used.has(`[${tag}_${n}]`)) n++;
      placeholder = `[${tag}_${n}]`;
      next.set(tag, n + 1);
      used.add(placeholder);
      byValue.set(key, placeholder);
    }
    return Object.freeze({
      id: `f${i + 1}`,
      kind: c.kind,
      label: c.label,
      rule: c.rule,
      start: c.start,
      end: c.end,
      placeholder,
    });
  });
}
