/**
 * The code sandbox over HTTP: run (collected output), workspace files, status, reset. Every
 * route needs a bearer token and acts only on the caller's own account; the runner keys
 * everything by the session's account id, never by anything the client sends.
 *
 * File paths travel in the URL after `/v1/sandbox/files/` (percent-encoded per segment) and
 * are validated strictly by the runner (`sandbox/paths.ts`). Uploads are the raw bytes
 * (`Content-Type: application/octet-stream`): no base64 inflation, and the body limit is the
 * file size limit. Streaming output goes over the WebSocket (`run` message).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  ERROR_CODES,
  OkBody,
  SandboxFileList,
  SandboxPath,
  SandboxRunReply,
  SandboxRunRequest,
  SandboxStatus,
} from '../../shared/protocol';
import { RelayError } from '../errors';
import { requireAuth, sessionOf } from '../services';
import { runnerOf, sandboxOffError, viaRelayErrors } from './sandbox-errors';
import { bearer, responses } from './schema-helpers';

/** The wildcard after `/v1/sandbox/files/`: the workspace-relative path. */
const FileParams = Type.Object({ '*': SandboxPath }, { additionalProperties: false });
type FileParams = { '*': string };

/** A downloaded file: raw bytes (Fastify sends Buffers as they are, past the serializer). */
const FileBytes = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });

/** Run requests are small JSON (64 KiB of code at most, escaped). */
const RUN_BODY_LIMIT = 512 * 1024;

/**
 * `Content-Disposition` for a download: an ASCII fallback name plus the exact UTF-8 name
 * (RFC 6266 / 5987), so no user-chosen byte can break out of the header.
 */
export function attachmentHeader(path: string): string {
  const name = path.split('/').pop() || 'download';
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Registers the `/v1/sandbox/*` routes. */
export async function sandboxRoutes(app: FastifyInstance): Promise<void> {
  // onRequest: unauthenticated requests are refused before their body is even read.
  app.addHook('onRequest', requireAuth);
  const { sandbox } = app.relay;
  // Off: every route answers 503 (after auth), before any body is read.
  if (sandbox.state === 'off') {
    app.addHook('onRequest', async () => {
      throw sandboxOffError(sandbox.reason);
    });
  }
  const maxUploadBytes = sandbox.state === 'on' ? sandbox.maxUploadBytes : 1;
  const tags = ['sandbox'];

  // Encapsulated in this plugin: only the upload route accepts raw bytes.
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: maxUploadBytes },
    (_req, body, done) => done(null, body),
  );

  app.post<{ Body: SandboxRunRequest }>(
    '/v1/sandbox/run',
    {
      bodyLimit: RUN_BODY_LIMIT,
      schema: {
        tags,
        security: bearer,
        body: SandboxRunRequest,
        response: responses({ 200: SandboxRunReply }),
      },
    },
    async (req): Promise<SandboxRunReply> => {
      const { accountId } = sessionOf(req);
      const runner = runnerOf(sandbox);
      const out = { stdout: [] as string[], stderr: [] as string[] };
      const result = await viaRelayErrors(
        runner.run(accountId, {
          language: req.body.language,
          code: req.body.code,
          ...(req.body.timeoutMs === undefined ? {} : { timeoutMs: req.body.timeoutMs }),
          onOutput: (frame) => out[frame.stream].push(frame.data),
        }),
      );
      return { stdout: out.stdout.join(''), stderr: out.stderr.join(''), ...result };
    },
  );

  app.get(
    '/v1/sandbox/files',
    { schema: { tags, security: bearer, response: responses({ 200: SandboxFileList }) } },
    async (req) => viaRelayErrors(runnerOf(sandbox).listFiles(sessionOf(req).accountId)),
  );

  app.put<{ Params: FileParams; Body: unknown }>(
    '/v1/sandbox/files/*',
    {
      bodyLimit: maxUploadBytes,
      schema: {
        tags,
        security: bearer,
        params: FileParams,
        consumes: ['application/octet-stream'],
        response: responses({ 200: OkBody }),
      },
    },
    async (req) => {
      const { accountId } = sessionOf(req);
      const runner = runnerOf(sandbox);
      if (!Buffer.isBuffer(req.body)) {
        throw new RelayError(
          ERROR_CODES.unsupportedMediaType,
          415,
          'Send the file as the raw body (Content-Type: application/octet-stream).',
        );
      }
      const bytes = new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength);
      await viaRelayErrors(runner.upload(accountId, req.params['*'], bytes));
      return { ok: true as const };
    },
  );

  app.get<{ Params: FileParams }>(
    '/v1/sandbox/files/*',
    {
      schema: {
        tags,
        security: bearer,
        params: FileParams,
        produces: ['application/octet-stream'],
        response: responses({ 200: FileBytes }),
      },
    },
    async (req, reply) => {
      const { accountId } = sessionOf(req);
      const path = req.params['*'];
      const bytes = await viaRelayErrors(runnerOf(sandbox).download(accountId, path));
      // Never rendered by a browser: always a download, never sniffed into HTML.
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', attachmentHeader(path))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );

  app.delete<{ Params: FileParams }>(
    '/v1/sandbox/files/*',
    {
      schema: { tags, security: bearer, params: FileParams, response: responses({ 200: OkBody }) },
    },
    async (req) => {
      const { accountId } = sessionOf(req);
      await viaRelayErrors(runnerOf(sandbox).deleteFile(accountId, req.params['*']));
      return { ok: true as const };
    },
  );

  app.get(
    '/v1/sandbox/status',
    { schema: { tags, security: bearer, response: responses({ 200: SandboxStatus }) } },
    async (req) => viaRelayErrors(runnerOf(sandbox).status(sessionOf(req).accountId)),
  );

  app.post(
    '/v1/sandbox/reset',
    { schema: { tags, security: bearer, response: responses({ 200: OkBody }) } },
    async (req) => {
      await viaRelayErrors(runnerOf(sandbox).reset(sessionOf(req).accountId));
      return { ok: true as const };
    },
  );
}
