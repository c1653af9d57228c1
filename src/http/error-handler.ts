/**
 * The one place errors become HTTP responses: every AppError turns into HubSpot's error body, and
 * anything unexpected into a logged 500 with the same correlationId the client sees.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from '../core/errors.js';

/** HubSpot's error body (`status`, `message`, `correlationId`, `category`, `errors[]`). */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  errors?: ErrorDetail[];
  [extra: string]: unknown;
}

export function errorBody(error: AppError, correlationId: string): HubSpotErrorBody {
  return {
    status: 'error',
    message: error.message,
    correlationId,
    category: error.category,
    ...(error.details.length > 0 ? { errors: error.details } : {}),
    ...error.extra,
  };
}

/** Turns framework errors (bad JSON, body limit, schema validation) into AppErrors. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError;
  if (fe.validation) {
    const details = fe.validation.map((v) => ({
      message: `${v.instancePath || fe.validationContext || 'request'} ${v.message ?? 'is invalid'}`.trim(),
      code: 'INVALID',
      in: v.instancePath.replace(/^\//, '') || undefined,
    }));
    return new AppError('E_VALIDATION', `Invalid input: ${details.map((d) => d.message).join('; ')}`, {
      details,
      cause: error,
    });
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('E_MALFORMED_JSON', `The request body is not valid JSON: ${fe.message}`, {
        cause: error,
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('E_PAYLOAD_TOO_LARGE', 'The request body is larger than this endpoint accepts.', {
        cause: error,
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('E_UNSUPPORTED_MEDIA', `Unsupported Content-Type: ${fe.message}`, { cause: error });
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('E_VALIDATION', fe.message, { status: fe.statusCode, cause: error });
  }
  return new AppError('E_INTERNAL', 'An internal error occurred.', { cause: error });
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    reply
      .code(appError.status)
      .type('application/json; charset=utf-8')
      .send(errorBody(appError, String(request.id)));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError('E_ROUTE_NOT_FOUND', `No endpoint answers ${request.method} ${request.url}.`);
    reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send(errorBody(error, String(request.id)));
  });
}
