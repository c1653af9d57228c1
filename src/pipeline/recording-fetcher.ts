/**
 * Fetches a call's recording the way HubSpot does (reference §3 "Flow"): substitute the call's
 * `hs_call_external_id` (URL-encoded) for `%s` in the app's `urlToRetrieveAuthedRecording`, add
 * `externalAccountId` and `appId`, sign the GET with HubSpot's v3 signature, read
 * `authenticatedUrl` from the JSON answer, and download that as octet-stream into a file.
 * Legacy calls (`hs_call_recording_url`, no external ids) are downloaded directly.
 *
 * Every request goes through {@link guardedGet}: http(s) only, bounded redirects, size and time,
 * and the address policy checked on every hop. Failures are AppErrors whose code says whether a
 * retry can help (see {@link isTransientFetchError}).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../core/errors.js';
import { hubSpotSignatureHeadersV3 } from '../core/hubspot-signature-v3.js';
import type { AddressPolicy } from './address-policy.js';
import { type GuardedResponse, guardedGet, type Resolver, readBounded } from './guarded-get.js';

/** Where a call's recording comes from. */
export type RecordingSource =
  | {
      kind: 'authenticated';
      /** The app's `urlToRetrieveAuthedRecording`, with `%s`. */
      urlTemplate: string;
      externalId: string;
      externalAccountId: string;
      appId: string;
      /** The app's client secret; when set, the endpoint request carries a v3 signature. */
      clientSecret?: string;
    }
  | { kind: 'legacy'; url: string };

export interface RecordingFetchOptions {
  policy: AddressPolicy;
  /** Largest recording downloaded, in bytes. */
  maxBytes: number;
  /** Deadline for the endpoint's JSON answer, in ms. */
  endpointTimeoutMs: number;
  /** Deadline for the whole download, in ms. */
  downloadTimeoutMs: number;
  /** Redirects followed per request. */
  maxRedirects: number;
  /** Directory the download is written to (created if missing). */
  directory: string;
  /** Host name resolution (tests inject a rebinding resolver); defaults to the system's. */
  resolver?: Resolver;
}

export interface FetchedRecording {
  /** The downloaded file; the caller deletes it. */
  path: string;
  bytes: number;
  /** The URL the bytes came from (after redirects). */
  url: string;
}

/** True when retrying may succeed (endpoint down, 5xx, timeouts); false for permanent refusals. */
export function isTransientFetchError(error: unknown): boolean {
  return (
    !(error instanceof AppError) ||
    error.code === 'E_RECORDING_FETCH_FAILED' ||
    error.code === 'E_RECORDING_FETCH_TIMEOUT'
  );
}

/** Builds the endpoint URL: `%s` → URL-encoded external id, plus `externalAccountId` and `appId`. */
export function recordingEndpointUrl(source: Extract<RecordingSource, { kind: 'authenticated' }>): string {
  const url = new URL(source.urlTemplate.replace('%s', encodeURIComponent(source.externalId)));
  url.searchParams.set('externalAccountId', source.externalAccountId);
  url.searchParams.set('appId', source.appId);
  return url.toString();
}

function statusError(what: string, status: number, permanentOn: (status: number) => boolean): AppError {
  if (permanentOn(status)) {
    return new AppError(
      'E_RECORDING_UNAVAILABLE',
      `${what} answered ${status}: it has no recording for this call.`,
    );
  }
  return new AppError('E_RECORDING_FETCH_FAILED', `${what} answered ${status}.`);
}

/** Network failures (refused, reset, DNS) are transient fetch failures with the cause kept. */
function wrapNetworkError(what: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return new AppError(
    'E_RECORDING_FETCH_FAILED',
    `${what} could not be reached (${code || (error as Error).message}).`,
    {
      cause: error,
    },
  );
}

async function resolveAuthenticatedUrl(
  source: Extract<RecordingSource, { kind: 'authenticated' }>,
  options: RecordingFetchOptions,
): Promise<string> {
  const what = 'The recording endpoint';
  const url = recordingEndpointUrl(source);
  const signature = source.clientSecret
    ? hubSpotSignatureHeadersV3(source.clientSecret, { method: 'GET', uri: url, body: '' })
    : {};
  let response: GuardedResponse | undefined;
  try {
    response = await guardedGet(url, {
      policy: options.policy,
      timeoutMs: options.endpointTimeoutMs,
      maxRedirects: options.maxRedirects,
      headers: { accept: 'application/json' },
      firstHopHeaders: signature,
      resolver: options.resolver,
      what,
    });
    // 408, 425, 429 and 5xx can pass; other 4xx (404 unknown recording, 403 wrong account) will not.
    if (response.status < 200 || response.status >= 300) {
      response.close();
      throw statusError(what, response.status, (s) => s >= 400 && s < 500 && ![408, 425, 429].includes(s));
    }
    const body = await readBounded(response, 64 * 1024, what);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new AppError('E_RECORDING_FETCH_FAILED', `${what} did not answer JSON.`);
    }
    const authenticatedUrl = (parsed as { authenticatedUrl?: unknown } | null)?.authenticatedUrl;
    if (typeof authenticatedUrl !== 'string' || authenticatedUrl === '') {
      throw new AppError('E_RECORDING_FETCH_FAILED', `${what} answered without an authenticatedUrl.`);
    }
    try {
      return new URL(authenticatedUrl, response.url).toString();
    } catch {
      throw new AppError(
        'E_RECORDING_URL_REFUSED',
        `${what} answered an authenticatedUrl that is not a URL.`,
      );
    }
  } catch (error) {
    throw wrapNetworkError(what, error);
  } finally {
    response?.close();
  }
}

async function download(url: string, options: RecordingFetchOptions): Promise<FetchedRecording> {
  const what = 'The recording download';
  await mkdir(options.directory, { recursive: true });
  const file = path.join(options.directory, `recording-${randomUUID()}`);
  let response: GuardedResponse | undefined;
  try {
    response = await guardedGet(url, {
      policy: options.policy,
      timeoutMs: options.downloadTimeoutMs,
      maxRedirects: options.maxRedirects,
      headers: { accept: 'application/octet-stream' },
      resolver: options.resolver,
      what,
    });
    // 404/410: the recording is gone. 401/403 (an expired link) may heal: a retry asks for a new URL.
    if (response.status < 200 || response.status >= 300) {
      throw statusError(what, response.status, (s) => s === 404 || s === 410);
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      throw new AppError(
        'E_RECORDING_TOO_LARGE',
        `The recording is ${declared} bytes; the limit is ${options.maxBytes}.`,
      );
    }
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > options.maxBytes) {
          done(
            new AppError(
              'E_RECORDING_TOO_LARGE',
              `The recording is larger than the limit of ${options.maxBytes} bytes.`,
            ),
          );
        } else done(null, chunk);
      },
    });
    await Promise.race([
      pipeline(response.body, counter, createWriteStream(file, { flags: 'wx' })),
      response.deadline,
    ]);
    if (bytes === 0) throw new AppError('E_RECORDING_FETCH_FAILED', `${what} was empty.`);
    return { path: file, bytes, url: response.url };
  } catch (error) {
    await rm(file, { force: true });
    throw wrapNetworkError(what, error);
  } finally {
    response?.close();
  }
}

/** Resolves (if needed) and downloads a recording; the returned file is the caller's to delete. */
export async function fetchRecording(
  source: RecordingSource,
  options: RecordingFetchOptions,
): Promise<FetchedRecording> {
  const url = source.kind === 'legacy' ? source.url : await resolveAuthenticatedUrl(source, options);
  return download(url, options);
}
