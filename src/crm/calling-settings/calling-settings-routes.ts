/**
 * The calling extension's app-level APIs (reference §2, §3) on both the classic and the dated
 * path: settings and recording settings (developer API key in `?hapikey=`), and mark-ready
 * (Bearer). Success codes are the client's: 200 for settings writes, 204 for delete and mark-ready.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../core/errors.js';
import type { CrmAuth } from '../auth/crm-auth.js';
import { objectBody } from '../request-params.js';
import { type CallingSettingsStore, checkAppId } from './calling-settings-store.js';

const PREFIXES = ['/crm/v3/extensions/calling', '/crm/extensions/calling/2026-03'];

type AppRoute = { Params: { appId: string } };

export function registerCallingSettingsRoutes(
  app: FastifyInstance,
  deps: { settings: CallingSettingsStore; auth: CrmAuth },
): void {
  const { settings } = deps;
  const hapikey = { preHandler: deps.auth.developerKey };
  const bearer = { preHandler: deps.auth.bearer };
  for (const prefix of PREFIXES) {
    const general = `${prefix}/:appId/settings`;
    app.post<AppRoute>(general, hapikey, async (r) =>
      settings.createSettings(checkAppId(r.params.appId), objectBody(r.body)),
    );
    app.get<AppRoute>(general, hapikey, async (r) => settings.getSettings(checkAppId(r.params.appId)));
    app.patch<AppRoute>(general, hapikey, async (r) =>
      settings.updateSettings(checkAppId(r.params.appId), objectBody(r.body)),
    );
    app.delete<AppRoute>(general, hapikey, async (r, reply) => {
      await settings.deleteSettings(checkAppId(r.params.appId));
      reply.code(204).send();
    });

    const recording = `${prefix}/:appId/settings/recording`;
    app.post<AppRoute>(recording, hapikey, async (r) => {
      const s = await settings.registerRecording(checkAppId(r.params.appId), objectBody(r.body));
      return { urlToRetrieveAuthedRecording: s.urlToRetrieveAuthedRecording };
    });
    app.get<AppRoute>(recording, hapikey, async (r) => {
      const appId = checkAppId(r.params.appId);
      const s = await settings.findRecording(appId);
      if (!s) throw notFound('Recording settings of app', appId);
      return { urlToRetrieveAuthedRecording: s.urlToRetrieveAuthedRecording };
    });
    app.patch<AppRoute>(recording, hapikey, async (r) => {
      const s = await settings.updateRecording(checkAppId(r.params.appId), objectBody(r.body ?? {}));
      return { urlToRetrieveAuthedRecording: s.urlToRetrieveAuthedRecording };
    });
    app.delete<AppRoute>(recording, hapikey, async (r, reply) => {
      await settings.deleteRecording(checkAppId(r.params.appId));
      reply.code(204).send();
    });

    app.post(`${prefix}/recordings/ready`, bearer, async (r: FastifyRequest, reply: FastifyReply) => {
      await settings.markRecordingReady(objectBody(r.body)['engagementId']);
      reply.code(204).send();
    });
  }
}
