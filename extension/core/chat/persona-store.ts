/**
 * Saved personas (name + system prompt + optional default model) in the encrypted
 * `personas` collection. Platform-free; `reset()` forgets them on lock.
 */
import type { Persona } from '../models';
import type { RecordRepo, RecordResult } from '../records/record-repo-port';

/** What the persona list and pickers render. */
export interface PersonaState {
  loaded: boolean;
  personas: RecordResult<Persona>[];
}

/** Why a persona was not saved, in plain words. */
export class PersonaError extends Error {
  readonly code: 'missing-name' | 'missing-prompt';
  constructor(code: PersonaError['code']) {
    super(code === 'missing-name' ? 'Give the persona a name.' : 'Write its system prompt.');
    this.name = 'PersonaError';
    this.code = code;
  }
}

/** Creates the persona store over the `personas` repository. */
export function createPersonaStore(deps: {
  repo: RecordRepo<Persona>;
  now?: () => number;
  newId?: () => string;
}) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => globalThis.crypto.randomUUID());
  const listeners = new Set<(s: PersonaState) => void>();
  let state: PersonaState = { loaded: false, personas: [] };
  const update = (next: PersonaState) => {
    state = next;
    for (const l of listeners) l(state);
  };
  const byName = (a: RecordResult<Persona>, b: RecordResult<Persona>) =>
    (a.ok ? a.value.name : '').localeCompare(b.ok ? b.value.name : '');

  return {
    getState: (): PersonaState => state,
    subscribe(listener: (s: PersonaState) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load(): Promise<void> {
      update({ loaded: true, personas: (await deps.repo.list()).sort(byName) });
    },
    /** Saves a new or edited persona; throws PersonaError for a missing field. */
    async save(input: Omit<Persona, 'id' | 'createdAt'> & { id?: string }): Promise<Persona> {
      if (!input.name.trim()) throw new PersonaError('missing-name');
      if (!input.systemPrompt.trim()) throw new PersonaError('missing-prompt');
      const existing = state.personas.find((p) => p.id === input.id);
      const persona: Persona = {
        ...input,
        id: input.id || newId(),
        name: input.name.trim(),
        systemPrompt: input.systemPrompt.trim(),
        createdAt: existing?.ok ? existing.value.createdAt : now(),
      };
      const rev = await deps.repo.put(persona.id, persona);
      const entry: RecordResult<Persona> = {
        ok: true,
        id: persona.id,
        rev,
        updatedAt: now(),
        value: persona,
      };
      update({
        loaded: true,
        personas: [...state.personas.filter((p) => p.id !== persona.id), entry].sort(byName),
      });
      return persona;
    },
    async remove(id: string): Promise<void> {
      await deps.repo.delete(id);
      update({ ...state, personas: state.personas.filter((p) => p.id !== id) });
    },
    find(id: string | undefined): Persona | undefined {
      const p = state.personas.find((x) => x.id === id);
      return p?.ok ? p.value : undefined;
    },
    reset(): void {
      update({ loaded: false, personas: [] });
    },
  };
}

export type PersonaStore = ReturnType<typeof createPersonaStore>;
