/** Liveness and the OpenAPI document. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { PROTOCOL_VERSION, RelayHealthBody } from '../../shared/protocol';
import { responses } from './schema-helpers';

/** Registers GET /healthz and GET /openapi.json. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/healthz',
    { schema: { tags: ['meta'], response: responses({ 200: RelayHealthBody }) } },
    async () => ({
      status: 'ok' as const,
      protocolVersion: PROTOCOL_VERSION,
      storage: app.relay.store.kind,
      sandbox: app.relay.sandbox.state,
    }),
  );
  app.get(
    '/openapi.json',
    {
      schema: {
        hide: true,
        response: responses({ 200: Type.Object({}, { additionalProperties: true }) }),
      },
    },
    async () => app.swagger(),
  );
}
