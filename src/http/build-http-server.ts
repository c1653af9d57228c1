/**
 * The Fastify instance every part of callscribe mounts its routes on: correlation ids, one log
 * line per request, HubSpot-shaped errors, and tolerant JSON parsing (empty bodies allowed).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { AppError } from '../core/errors.js';
import { installErrorHandling } from './error-handler.js';

export interface HttpServerOptions {
  logLevel: string;
  /** Largest JSON body accepted, in bytes (413 beyond). Default 1 MiB. */
  bodyLimit?: number;
}

export function buildHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    logger: { level: options.logLevel },
    // We log one line per request ourselves (onResponse below), with the correlationId.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // HubSpot's client strips trailing slashes only without a query; accept both forms.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-HubSpot-Correlation-Id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  // An empty body with a JSON content type is "no body", as HubSpot treats it; anything else
  // must parse, or the client gets a 400 VALIDATION_ERROR naming the problem.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(
        new AppError('E_MALFORMED_JSON', `The request body is not valid JSON: ${(error as Error).message}`),
        undefined,
      );
    }
  });

  installErrorHandling(app);
  return app;
}
