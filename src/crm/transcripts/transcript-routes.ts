/**
 * The Transcripts API (reference §4) at `/crm/v3/extensions/calling/transcripts` and the dated
 * paths: create (200 `{ id }`, always `INTEGRATOR_GENERATED`), read (200), delete (204).
 */
import type { FastifyInstance } from 'fastify';
import type { CrmAuth } from '../auth/crm-auth.js';
import { objectBody } from '../request-params.js';
import type { TranscriptStore } from './transcript-store.js';

const PREFIXES = [
  '/crm/v3/extensions/calling/transcripts',
  '/crm/extensions/calling/2026-03/transcripts',
  '/crm/extensions/calling/2026-09/transcripts',
];

type Route = { Params: { transcriptId: string } };

export function registerTranscriptRoutes(
  app: FastifyInstance,
  deps: { transcripts: TranscriptStore; auth: CrmAuth },
): void {
  const preHandler = deps.auth.bearer;
  for (const prefix of PREFIXES) {
    app.post(prefix, { preHandler }, async (request) => {
      const body = objectBody(request.body);
      const { transcript } = await deps.transcripts.create({
        engagementId: body['engagementId'] as number,
        source: 'INTEGRATOR_GENERATED',
        utterances: body['transcriptCreateUtterances'] as never,
      });
      return { id: transcript.id };
    });
    app.get<Route>(`${prefix}/:transcriptId`, { preHandler }, async (request) => {
      const t = await deps.transcripts.get(request.params.transcriptId);
      return {
        id: t.id,
        engagementId: t.engagementId,
        transcriptSource: t.transcriptSource,
        transcriptUtterances: t.transcriptUtterances.map((u) => ({
          id: u.id,
          speaker: u.speaker,
          text: u.text,
          ...(u.languageCode !== undefined ? { languageCode: u.languageCode } : {}),
          startTimeMillis: u.startTimeMillis,
          endTimeMillis: u.endTimeMillis,
        })),
        createdAt: t.createdAt,
        updatedAt: t.updatedAt,
      };
    });
    app.delete<Route>(`${prefix}/:transcriptId`, { preHandler }, async (request, reply) => {
      await deps.transcripts.delete(request.params.transcriptId);
      reply.code(204).send();
    });
  }
}
