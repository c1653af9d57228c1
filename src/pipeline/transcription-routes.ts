/**
 * The transcription status API the timeline UI uses (Bearer token, like the CRM API):
 * - `GET  /callscribe/v1/calls/{callId}/transcription` — the call's state (`none` if never queued);
 * - `POST /callscribe/v1/calls/{callId}/transcription` — "the timeline shows this call without a
 *   transcript": queue it once (idempotent; GET never has side effects);
 * - `POST /callscribe/v1/calls/{callId}/transcription/retry` — re-run a failed call (409 if done);
 * - `GET  /callscribe/v1/calls/{callId}/transcription/events` — server-sent events, one `state`
 *   event now and one per change until `done`/`failed`. Browsers' EventSource cannot send headers,
 *   so this route also takes the token as `?access_token=`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.js';
import { requireToken } from '../crm/auth/require-token.js';
import type { TokenStore } from '../crm/auth/token-store.js';
import type { TranscriptionPipeline, TranscriptionView } from './transcription-pipeline.js';

export interface TranscriptionRouteDeps {
  pipeline: TranscriptionPipeline;
  tokens: TokenStore;
  /** How often the event stream re-reads the database (changes written by other processes). Default 1000 ms. */
  pollMs?: number;
}

const BASE = '/callscribe/v1/calls/:callId/transcription';

function callIdOf(request: FastifyRequest): string {
  return (request.params as { callId: string }).callId;
}

function finished(view: TranscriptionView): boolean {
  return view.state === 'done' || view.state === 'failed' || view.state === 'none';
}

export function registerTranscriptionRoutes(app: FastifyInstance, deps: TranscriptionRouteDeps): void {
  const bearer = requireToken(deps.tokens);
  const { pipeline } = deps;

  app.get(BASE, { preHandler: bearer }, async (request) => pipeline.view(callIdOf(request)));

  app.post(BASE, { preHandler: bearer }, async (request, reply) => {
    reply.code(202);
    return pipeline.request(callIdOf(request), 'timeline-view');
  });

  app.post(`${BASE}/retry`, { preHandler: bearer }, async (request, reply) => {
    reply.code(202);
    return pipeline.retry(callIdOf(request));
  });

  app.get(`${BASE}/events`, async (request, reply) => {
    const token = (request.query as Record<string, unknown>)['access_token'];
    if (typeof token === 'string' && token !== '' && !request.headers.authorization) {
      request.headers.authorization = `Bearer ${token}`;
    }
    await bearer(request);
    const callId = callIdOf(request);
    const first = await pipeline.view(callId);
    streamEvents(reply, request, deps, callId, first);
  });
}

function streamEvents(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: TranscriptionRouteDeps,
  callId: string,
  first: TranscriptionView,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-hubspot-correlation-id': request.id,
  });
  let last = '';
  let closed = false;
  const send = (view: TranscriptionView) => {
    const data = JSON.stringify(view);
    if (closed || data === last) return;
    last = data;
    res.write(`event: state\ndata: ${data}\n\n`);
    if (finished(view) && view.state !== 'none') close();
  };
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(poll);
    clearInterval(heartbeat);
    res.end();
  };
  // Changes written by this process arrive at once; a worker elsewhere is seen by the poll.
  const unsubscribe = deps.pipeline.status.onChange((s) => {
    if (s.callId === callId) send(s);
  });
  const poll = setInterval(() => {
    deps.pipeline.status
      .get(callId)
      .then((s) => s && send(s))
      .catch((error: unknown) => {
        if (!(error instanceof AppError)) request.log.warn({ err: error }, 'transcription event poll failed');
      });
  }, deps.pollMs ?? 1000);
  const heartbeat = setInterval(() => !closed && res.write(': keep-alive\n\n'), 15_000);
  res.on('close', close);
  send(first);
}
