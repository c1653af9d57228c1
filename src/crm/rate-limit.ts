/**
 * HubSpot-style rate limiting per credential: a ten-second window (`TEN_SECONDLY_ROLLING`) and a
 * daily budget, reported in `X-HubSpot-RateLimit-*` headers. Over the limit the answer is 429 in
 * the shape `@hubspot/api-client` retries on (`policyName: "TEN_SECONDLY_ROLLING"`, message
 * "You have reached your secondly limit."), with `Retry-After`.
 */
import type { FastifyReply } from 'fastify';
import { AppError } from '../core/errors.js';

export interface RateLimitOptions {
  /** Requests per ten seconds per credential; 0 turns limiting off (headers still sent). */
  perTenSeconds: number;
  /** Requests per day per credential; 0 turns the daily limit off. */
  daily: number;
  now?: () => number;
}

interface Window {
  start: number;
  count: number;
  day: number;
  dayCount: number;
}

const INTERVAL_MS = 10_000;
const DAY_MS = 86_400_000;

export function createRateLimiter(options: RateLimitOptions) {
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();
  let lastSweep = now();

  function sweep(t: number) {
    if (t - lastSweep < INTERVAL_MS * 6) return;
    lastSweep = t;
    const today = Math.floor(t / DAY_MS);
    for (const [key, w] of windows) if (w.day !== today && t - w.start > INTERVAL_MS) windows.delete(key);
  }

  return {
    /** Counts one request for `key`, sets the headers, and throws 429 when over a limit. */
    hit(key: string, reply: FastifyReply): void {
      const t = now();
      sweep(t);
      const day = Math.floor(t / DAY_MS);
      let w = windows.get(key);
      if (!w) {
        w = { start: t, count: 0, day, dayCount: 0 };
        windows.set(key, w);
      }
      if (t - w.start >= INTERVAL_MS) {
        w.start = t;
        w.count = 0;
      }
      if (w.day !== day) {
        w.day = day;
        w.dayCount = 0;
      }
      w.count += 1;
      w.dayCount += 1;
      const max = options.perTenSeconds;
      reply.header('X-HubSpot-RateLimit-Interval-Milliseconds', String(INTERVAL_MS));
      if (max > 0) {
        reply.header('X-HubSpot-RateLimit-Max', String(max));
        reply.header('X-HubSpot-RateLimit-Remaining', String(Math.max(0, max - w.count)));
      }
      if (options.daily > 0) {
        reply.header('X-HubSpot-RateLimit-Daily', String(options.daily));
        reply.header('X-HubSpot-RateLimit-Daily-Remaining', String(Math.max(0, options.daily - w.dayCount)));
      }
      if (max > 0 && w.count > max) {
        const retryAfter = Math.max(1, Math.ceil((w.start + INTERVAL_MS - t) / 1000));
        reply.header('Retry-After', String(retryAfter));
        throw new AppError('E_RATE_LIMITED', 'You have reached your secondly limit.', {
          extra: { errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' },
        });
      }
      if (options.daily > 0 && w.dayCount > options.daily) {
        reply.header('Retry-After', String(Math.ceil(((day + 1) * DAY_MS - t) / 1000)));
        throw new AppError('E_RATE_LIMITED', 'You have reached your daily limit.', {
          extra: { errorType: 'RATE_LIMIT', policyName: 'DAILY' },
        });
      }
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
