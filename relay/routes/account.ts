/** Devices, audit log, passphrase change, export and deletion of the signed-in account. */
import type { FastifyInstance } from 'fastify';
import {
  AccountExport,
  AuditQuery,
  AuditReply,
  ChangePassphraseBody,
  DeleteAccountBody,
  DeviceParams,
  DevicesReply,
  ERROR_CODES,
  OkBody,
  PROTOCOL_VERSION,
  WS_CLOSE,
  type DeviceView,
} from '../../shared/protocol';
import { errors, RelayError } from '../errors';
import type { DeviceRow } from '../store/types';
import { fromB64, requireAuth, sessionOf, toB64 } from '../services';
import { verifyAuthKey } from './accounts';
import { bearer, responses } from './schema-helpers';

const deviceView = (d: DeviceRow, currentId: string): DeviceView => ({
  id: d.id,
  name: d.name,
  createdAt: d.createdAt,
  lastSeenAt: d.lastSeenAt,
  lastSyncedAt: d.lastSyncedAt,
  current: d.id === currentId,
});

/** Registers the signed-in account routes (all need a bearer access token). */
export async function signedInRoutes(app: FastifyInstance): Promise<void> {
  // onRequest: unauthenticated requests are refused before their body is even read.
  app.addHook('onRequest', requireAuth);
  const tags = ['account'];
  const reauthLimit = {
    rateLimit: { max: app.relay.config.limits.loginPerIpPerMinute, timeWindow: 60_000 },
  };

  app.get(
    '/v1/devices',
    { schema: { tags, security: bearer, response: responses({ 200: DevicesReply }) } },
    async (req) => {
      const s = sessionOf(req);
      const devices = await app.relay.store.listDevices(s.accountId);
      return { devices: devices.map((d) => deviceView(d, s.deviceId)) };
    },
  );

  app.delete<{ Params: DeviceParams }>(
    '/v1/devices/:id',
    {
      schema: {
        tags,
        security: bearer,
        params: DeviceParams,
        response: responses({ 200: OkBody }),
      },
    },
    async (req) => {
      const s = sessionOf(req);
      const { id } = req.params;
      // Scoped by the caller's account: another account's device id is simply "not found".
      if (!(await app.relay.store.deleteDevice(s.accountId, id, app.relay.now()))) {
        throw errors.notFound('Device');
      }
      app.relay.sockets.closeDevice(s.accountId, id, WS_CLOSE.unauthorized, 'device revoked');
      await app.relay.audit(s.accountId, 'device-revoked', req, id);
      return { ok: true as const };
    },
  );

  app.get<{ Querystring: AuditQuery }>(
    '/v1/audit',
    {
      schema: {
        tags,
        security: bearer,
        querystring: AuditQuery,
        response: responses({ 200: AuditReply }),
      },
    },
    async (req) => {
      const s = sessionOf(req);
      const rows = await app.relay.store.listAudit(s.accountId, {
        limit: req.query.limit ?? 100,
        ...(req.query.before === undefined ? {} : { before: req.query.before }),
      });
      return {
        entries: rows.map((r) => ({
          id: r.id,
          event: r.event,
          at: r.at,
          deviceId: r.deviceId,
          ipTag: r.ipTag,
        })),
      };
    },
  );

  app.post<{ Body: ChangePassphraseBody }>(
    '/v1/account/passphrase',
    {
      config: reauthLimit,
      bodyLimit: 32 * 1024,
      schema: {
        tags,
        security: bearer,
        body: ChangePassphraseBody,
        response: responses({ 200: OkBody }),
      },
    },
    async (req) => {
      const s = sessionOf(req);
      const b = req.body;
      const wait = app.relay.loginLimiter.hit(s.accountId, app.relay.now());
      if (wait > 0) throw errors.tooManyAttempts(wait);
      await verifyAuthKey(app, req, s.accountId, fromB64(b.currentAuthKey));
      const verifier = await app.relay.verifier.create(fromB64(b.newAuthKey));
      const { store, now } = app.relay;
      await store.updateCredentials(s.accountId, {
        verifier,
        kdf: b.kdf,
        salt: b.salt,
        wrappedAccountKey: b.wrappedAccountKey,
      });
      // Other sessions were opened with the old passphrase: end them everywhere.
      await store.revokeOtherFamilies(s.accountId, s.familyId, now());
      app.relay.sockets.closeOtherFamilies(
        s.accountId,
        s.familyId,
        WS_CLOSE.unauthorized,
        'passphrase changed',
      );
      await app.relay.audit(s.accountId, 'passphrase-changed', req, s.deviceId);
      return { ok: true as const };
    },
  );

  app.get(
    '/v1/account/export',
    { schema: { tags, security: bearer, response: responses({ 200: AccountExport }) } },
    async (req) => {
      const s = sessionOf(req);
      await app.relay.audit(s.accountId, 'export', req, s.deviceId);
      const dump = await app.relay.store.exportAccount(s.accountId);
      if (dump === undefined) throw errors.notFound('Account');
      const { account: a } = dump;
      return {
        protocolVersion: PROTOCOL_VERSION,
        exportedAt: app.relay.now(),
        account: {
          id: a.id,
          createdAt: a.createdAt,
          kdf: a.kdf,
          salt: a.salt,
          wrappedAccountKey: a.wrappedAccountKey,
          seq: a.seq,
        },
        devices: dump.devices.map((d) => deviceView(d, s.deviceId)),
        audit: dump.audit.map((r) => ({
          id: r.id,
          event: r.event,
          at: r.at,
          deviceId: r.deviceId,
          ipTag: r.ipTag,
        })),
        records: dump.records.map((r) => ({
          collection: r.collection,
          id: r.id,
          revision: r.revision,
          seq: r.seq,
          deleted: r.deleted,
          ...(r.envelope === undefined ? {} : { envelope: toB64(r.envelope) }),
        })),
        manifest: dump.manifest ?? null,
        withheld: ['login verifier (peppered Argon2id hash)', 'token hashes', 'sync op ids'],
      };
    },
  );

  app.delete<{ Body: DeleteAccountBody }>(
    '/v1/account',
    {
      config: reauthLimit,
      bodyLimit: 32 * 1024,
      schema: {
        tags,
        security: bearer,
        body: DeleteAccountBody,
        response: responses({ 200: OkBody }),
      },
    },
    async (req) => {
      const s = sessionOf(req);
      const wait = app.relay.loginLimiter.hit(s.accountId, app.relay.now());
      if (wait > 0) throw errors.tooManyAttempts(wait);
      await verifyAuthKey(app, req, s.accountId, fromB64(req.body.authKey));
      // The hook (sandbox container + volume) runs first: if it fails nothing is deleted yet,
      // and the user can retry instead of being left with an orphaned workspace.
      if (app.relay.onAccountDeleted !== undefined) {
        try {
          await app.relay.onAccountDeleted(s.accountId);
        } catch (err) {
          req.log.error({ err }, 'account deletion hook failed');
          throw new RelayError(
            ERROR_CODES.unavailable,
            503,
            'Could not remove the sandbox workspace; nothing was deleted. Try again later.',
          );
        }
      }
      await app.relay.store.purgeAccount(s.accountId);
      app.relay.sockets.closeAccount(s.accountId, WS_CLOSE.gone, 'account deleted');
      return { ok: true as const };
    },
  );
}
