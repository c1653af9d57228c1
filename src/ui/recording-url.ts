/**
 * Resolves a call's playable recording URL on the server, the way HubSpot's own UI gets it: the
 * app's `urlToRetrieveAuthedRecording` with the external id, signed with HubSpot's v3 request
 * signature (which a browser cannot make: it has no client secret), answering `authenticatedUrl`.
 * The request goes through the pipeline's guarded GET (address policy on every hop, bounded size
 * and time). Legacy calls answer their `hs_call_recording_url`.
 */
import { AppError, notFound } from '../core/errors.js';
import { hubSpotSignatureHeadersV3 } from '../core/hubspot-signature-v3.js';
import { addressPolicyFor } from '../pipeline/address-policy.js';
import { guardedGet, readBounded } from '../pipeline/guarded-get.js';
import type { PipelineCrm } from '../pipeline/pipeline-crm.js';
import { recordingEndpointUrl } from '../pipeline/recording-fetcher.js';
import { recordingSourceOf } from '../pipeline/transcription-job.js';

export interface RecordingUrlResolverDeps {
  crm: PipelineCrm;
  /** The app's client secret (`CALLSCRIBE_APP_CLIENT_SECRET`); unset sends no signature. */
  clientSecret: string | undefined;
  devMode: boolean;
  /** Deadline for the endpoint's answer, in ms. */
  timeoutMs: number;
}

const WHAT = 'The recording endpoint';

/** Returns `resolve(callId)`: the URL to stream, or null when the call has no recording. */
export function createRecordingUrlResolver(deps: RecordingUrlResolverDeps) {
  const policy = addressPolicyFor(deps.devMode);
  return async (callId: string): Promise<string | null> => {
    const call = await deps.crm.getCall(callId);
    if (!call) throw notFound('Call', callId);
    let source: Awaited<ReturnType<typeof recordingSourceOf>>;
    try {
      source = await recordingSourceOf(call, deps.crm, deps.clientSecret);
    } catch (error) {
      if (error instanceof AppError && error.code === 'E_RECORDING_SOURCE_MISSING') return null;
      throw error;
    }
    if (source.kind === 'legacy') return source.url;
    const url = recordingEndpointUrl(source);
    const response = await guardedGet(url, {
      policy,
      timeoutMs: deps.timeoutMs,
      maxRedirects: 3,
      headers: { accept: 'application/json' },
      firstHopHeaders: source.clientSecret
        ? hubSpotSignatureHeadersV3(source.clientSecret, { method: 'GET', uri: url, body: '' })
        : {},
      what: WHAT,
    });
    try {
      if (response.status === 404) return null;
      if (response.status < 200 || response.status >= 300) {
        throw new AppError('E_RECORDING_FETCH_FAILED', `${WHAT} answered ${response.status}.`);
      }
      const body = JSON.parse((await readBounded(response, 64 * 1024, WHAT)).toString('utf8')) as {
        authenticatedUrl?: unknown;
      };
      if (typeof body.authenticatedUrl !== 'string' || body.authenticatedUrl === '') {
        throw new AppError('E_RECORDING_FETCH_FAILED', `${WHAT} answered without an authenticatedUrl.`);
      }
      return new URL(body.authenticatedUrl, response.url).toString();
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new AppError('E_RECORDING_FETCH_FAILED', `${WHAT} did not answer JSON.`);
      throw error;
    } finally {
      response.close();
    }
  };
}
