/** `GET /calling/v1/dispositions`: the call outcomes `hs_call_disposition` accepts (reference §5.2). */
import type { FastifyInstance } from 'fastify';
import type { CrmAuth } from '../auth/crm-auth.js';
import { CALL_DISPOSITIONS } from '../properties/property-definitions.js';

export function registerDispositionRoutes(app: FastifyInstance, deps: { auth: CrmAuth }): void {
  app.get('/calling/v1/dispositions', { preHandler: deps.auth.bearer }, async () =>
    CALL_DISPOSITIONS.map((d) => ({ id: d.value, label: d.label })),
  );
}
