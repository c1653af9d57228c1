/**
 * One HTTP request to HubSpot with retries: 429, 423 (locked), 477 (migrating) and 5xx are
 * retried with exponential backoff and full jitter, honouring `Retry-After` (seconds or an HTTP
 * date; reference section 1) when the server sends one. Network failures are retried too.
 * Only requests that are safe to repeat go through here; creating a call is made safe by the
 * search-before-create loop in the client.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. Default 5. */
  retries: number;
  /** First backoff step, ms; doubled per attempt. Default 500. */
  baseDelayMs: number;
  /** Cap of one backoff wait, ms. Default 30 000. */
  maxDelayMs: number;
  /** Longest `Retry-After` we honour, ms; a longer one fails at once. Default 120 000. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** Statuses worth trying again (HubSpot: 423 "wait ≥ 2 s", 477 migration with Retry-After). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 423 || status === 477 || (status >= 500 && status !== 501);
}

/** `Retry-After` as milliseconds from `now`, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

/** How long to wait before retry number `attempt` (0-based): Retry-After if given, else jittered backoff. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  // Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): spreads clients apart.
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface AttemptInfo {
  attempt: number;
  status?: number;
  error?: unknown;
  waitMs: number;
}

/**
 * Sends the request until it gets a non-retryable answer or the retries run out; returns the last
 * Response (the caller judges its status) or throws the last network error.
 */
export async function fetchWithRetry(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  policy: RetryPolicy,
  onRetry?: (info: AttemptInfo) => void,
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await fetchImpl(url, init);
    } catch (error) {
      failure = error;
    }
    const retryable = response ? isRetryableStatus(response.status) : true;
    if (!retryable || attempt >= policy.retries) {
      if (response) return response;
      throw failure;
    }
    const retryAfter = response ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
    if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) return response!;
    const waitMs = retryDelay(policy, attempt, retryAfter);
    await response?.body?.cancel().catch(() => undefined);
    onRetry?.({ attempt: attempt + 1, status: response?.status, error: failure, waitMs });
    await sleep(waitMs);
  }
}
