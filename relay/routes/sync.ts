/** End-to-end-encrypted sync: push (compare-and-set), pull (since seq), manifest. */
import type { FastifyInstance } from 'fastify';
import {
  ManifestBody,
  ManifestReply,
  PullQuery,
  PullReply,
  PushBody,
  PushReply,
  type PushResult,
  type ServerRecord,
} from '../../shared/protocol';
import { errors } from '../errors';
import type { DecodedOp, StoredPushResult } from '../store/types';
import { fromB64, requireAuth, sessionOf, toB64 } from '../services';
import { bearer, responses } from './schema-helpers';

const DEFAULT_PULL_LIMIT = 100;

const encodeResult = (r: StoredPushResult): PushResult =>
  r.status === 'applied'
    ? r
    : {
        opId: r.opId,
        status: 'conflict',
        current: {
          revision: r.current.revision,
          seq: r.current.seq,
          deleted: r.current.deleted,
          ...(r.current.envelope === undefined ? {} : { envelope: toB64(r.current.envelope) }),
        },
      };

/** Registers the sync routes (all need a bearer access token). */
export async function syncRoutes(app: FastifyInstance): Promise<void> {
  // onRequest: unauthenticated requests are refused before their body is even read.
  app.addHook('onRequest', requireAuth);
  const { limits } = app.relay.config;
  const tags = ['sync'];

  /** Validates what the schema cannot (configurable limits, cross-field rules) and decodes. */
  function decodeOps(body: PushBody): DecodedOp[] {
    if (body.ops.length > limits.maxOpsPerPush) {
      throw errors.tooLarge(`A push may carry at most ${limits.maxOpsPerPush} ops; split it.`);
    }
    return body.ops.map((op, i) => {
      if (op.revision <= op.baseRevision) {
        throw errors.invalid(`ops/${i}: revision must be greater than baseRevision.`);
      }
      if (op.deleted) {
        if (op.envelope !== undefined)
          throw errors.invalid(`ops/${i}: a tombstone carries no envelope.`);
        const { envelope: _drop, ...rest } = op;
        return rest;
      }
      if (op.envelope === undefined) throw errors.invalid(`ops/${i}: envelope is required.`);
      const envelope = fromB64(op.envelope);
      if (envelope.length === 0) throw errors.invalid(`ops/${i}: envelope is empty.`);
      if (envelope.length > limits.maxEnvelopeBytes) {
        throw errors.tooLarge(
          `ops/${i}: the envelope is ${envelope.length} bytes; the limit is ${limits.maxEnvelopeBytes}.`,
        );
      }
      return { ...op, envelope };
    });
  }

  app.post<{ Body: PushBody }>(
    '/v1/sync/push',
    {
      bodyLimit: limits.bodyBytes,
      schema: { tags, security: bearer, body: PushBody, response: responses({ 200: PushReply }) },
    },
    async (req) => {
      const s = sessionOf(req);
      const ops = decodeOps(req.body);
      const { results, seq } = await app.relay.store.push(s.accountId, ops);
      await app.relay.store.touchDevice(s.accountId, s.deviceId, app.relay.now(), true);
      // A pure replay re-announces the same seq: harmless, clients ignore seq <= cursor.
      if (results.some((r) => r.status === 'applied'))
        await app.relay.notifier.publish(s.accountId, seq);
      return { results: results.map(encodeResult), seq };
    },
  );

  app.get<{ Querystring: PullQuery }>(
    '/v1/sync/pull',
    {
      schema: {
        tags,
        security: bearer,
        querystring: PullQuery,
        response: responses({ 200: PullReply }),
      },
    },
    async (req) => {
      const s = sessionOf(req);
      const since = req.query.since ?? 0;
      const page = await app.relay.store.pull(
        s.accountId,
        since,
        req.query.limit ?? DEFAULT_PULL_LIMIT,
      );
      // Cap the reply's size too: 1000 × 1 MiB envelopes must not become one 1 GiB response.
      const budget = limits.bodyBytes;
      let used = 0;
      const records: ServerRecord[] = [];
      for (const r of page.records) {
        const size = r.envelope?.length ?? 0;
        if (records.length > 0 && used + size > budget) break;
        used += size;
        records.push({
          collection: r.collection,
          id: r.id,
          revision: r.revision,
          seq: r.seq,
          deleted: r.deleted,
          ...(r.envelope === undefined ? {} : { envelope: toB64(r.envelope) }),
        });
      }
      const truncated = records.length < page.records.length;
      await app.relay.store.touchDevice(s.accountId, s.deviceId, app.relay.now(), true);
      return {
        records,
        cursor: truncated ? records[records.length - 1]!.seq : page.cursor,
        hasMore: page.hasMore || truncated,
        seq: page.seq,
      };
    },
  );

  app.put<{ Body: ManifestBody }>(
    '/v1/sync/manifest',
    {
      bodyLimit: limits.bodyBytes,
      schema: {
        tags,
        security: bearer,
        body: ManifestBody,
        response: responses({ 200: ManifestReply }),
      },
    },
    async (req) => {
      const s = sessionOf(req);
      const size = fromB64(req.body.blob).length;
      if (size > limits.maxEnvelopeBytes) {
        throw errors.tooLarge(
          `The manifest is ${size} bytes; the limit is ${limits.maxEnvelopeBytes}.`,
        );
      }
      const manifest = {
        counter: req.body.counter,
        blob: req.body.blob,
        updatedAt: app.relay.now(),
      };
      await app.relay.store.putManifest(s.accountId, manifest);
      return manifest;
    },
  );

  app.get(
    '/v1/sync/manifest',
    { schema: { tags, security: bearer, response: responses({ 200: ManifestReply }) } },
    async (req) => {
      const m = await app.relay.store.getManifest(sessionOf(req).accountId);
      if (m === undefined) throw errors.notFound('Manifest');
      return m;
    },
  );
}
