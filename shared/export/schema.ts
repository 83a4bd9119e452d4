import { Type, type Static } from '@sinclair/typebox';

/**
 * The Nook export format (Options → Data → Export). One JSON document holding every record a
 * user owns, in plain form. `schemaVersion` only grows; an importer refuses a newer version
 * rather than guessing. Records allow extra fields so that data written by a newer build of
 * the same schema version (e.g. a message's tool calls or attachment metadata) survives a
 * round trip unchanged. `nook-export.schema.json` beside this file is the published copy
 * (a test keeps the two equal).
 */
export const EXPORT_KIND = 'nook-export';
export const EXPORT_SCHEMA_VERSION = 1;

const Id = Type.String({ minLength: 1, maxLength: 200 });
const Time = Type.Number({ minimum: 0 });
const open = { additionalProperties: true } as const;

export const ExportConversation = Type.Object(
  {
    id: Id,
    title: Type.String(),
    createdAt: Time,
    updatedAt: Time,
    model: Type.Optional(Type.String()),
    providerId: Type.Optional(Type.String()),
    systemPrompt: Type.Optional(Type.String()),
    personaId: Type.Optional(Type.String()),
  },
  open,
);

export const ExportMessage = Type.Object(
  {
    id: Id,
    conversationId: Id,
    role: Type.Union([
      Type.Literal('user'),
      Type.Literal('assistant'),
      Type.Literal('system'),
      Type.Literal('tool'),
    ]),
    content: Type.String(),
    createdAt: Time,
    model: Type.Optional(Type.String()),
    providerId: Type.Optional(Type.String()),
    status: Type.Optional(
      Type.Union([Type.Literal('complete'), Type.Literal('interrupted'), Type.Literal('error')]),
    ),
    error: Type.Optional(Type.String()),
    usage: Type.Optional(
      Type.Object({ inputTokens: Type.Number(), outputTokens: Type.Number() }, open),
    ),
  },
  open,
);

export const ExportMemory = Type.Object(
  {
    id: Id,
    text: Type.String(),
    createdAt: Time,
    updatedAt: Time,
    conversationId: Type.Optional(Type.String()),
    source: Type.Union([Type.Literal('model'), Type.Literal('user')]),
  },
  open,
);

export const ExportPersona = Type.Object(
  {
    id: Id,
    name: Type.String(),
    systemPrompt: Type.String(),
    createdAt: Time,
    providerId: Type.Optional(Type.String()),
    model: Type.Optional(Type.String()),
  },
  open,
);

export const ExportUsage = Type.Object(
  {
    id: Id,
    providerId: Type.String(),
    model: Type.String(),
    day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    inputTokens: Type.Number({ minimum: 0 }),
    outputTokens: Type.Number({ minimum: 0 }),
    requests: Type.Number({ minimum: 0 }),
  },
  open,
);

/** A configured provider. `apiKey` appears only inside an encrypted bundle, and only if asked. */
export const ExportProvider = Type.Object(
  {
    id: Id,
    kind: Type.Union([
      Type.Literal('openai'),
      Type.Literal('anthropic'),
      Type.Literal('gemini'),
      Type.Literal('openai-compatible'),
    ]),
    label: Type.String(),
    createdAt: Time,
    apiKey: Type.Optional(Type.String()),
    baseUrl: Type.Optional(Type.String()),
    defaultModel: Type.Optional(Type.String()),
  },
  open,
);

export const NookExport = Type.Object(
  {
    kind: Type.Literal(EXPORT_KIND),
    schemaVersion: Type.Literal(EXPORT_SCHEMA_VERSION),
    exportedAt: Time,
    conversations: Type.Array(ExportConversation),
    messages: Type.Array(ExportMessage),
    memory: Type.Array(ExportMemory),
    personas: Type.Array(ExportPersona),
    usage: Type.Array(ExportUsage),
    providers: Type.Array(ExportProvider),
    /** The settings record (auto-lock, defaults, retention, budgets, prices), if ever saved. */
    settings: Type.Union([Type.Object({}, open), Type.Null()]),
  },
  {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Nook export',
    additionalProperties: false,
  },
);
export type NookExport = Static<typeof NookExport>;
