/**
 * The URL rules of the calling extension (reference §3): full `https://` URLs; plain `http://`
 * only for loopback hosts and only in dev mode, so a local calling app can be tested without TLS.
 */
import { invalid } from '../../core/errors.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Throws a 400 naming `field` unless `url` is acceptable. */
export function checkAppUrl(url: unknown, field: string, devMode: boolean): string {
  if (typeof url !== 'string' || url.trim() === '')
    throw invalid(`${field} is required and must be a URL.`, field);
  let parsed: URL;
  try {
    parsed = new URL(url.replaceAll('%s', 'placeholder'));
  } catch {
    throw invalid(
      `${field} must be a full URL such as https://app.example/recordings/%s, not "${url}".`,
      field,
    );
  }
  if (parsed.protocol === 'https:') return url;
  if (parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname)) {
    if (devMode) return url;
    throw invalid(`${field} must use https://; http:// loopback URLs are accepted only in dev mode.`, field);
  }
  throw invalid(
    `${field} must be a full https:// URL${devMode ? ' (or http:// on a loopback host in dev mode)' : ''}, not "${url}".`,
    field,
  );
}

/** The recording URL template must contain `%s`, where HubSpot puts the call's external id. */
export function checkRecordingUrlTemplate(url: unknown, devMode: boolean): string {
  const field = 'urlToRetrieveAuthedRecording';
  if (typeof url === 'string' && !url.includes('%s')) {
    throw invalid(`${field} must contain %s, where the call's external id goes: "${url}" has none.`, field);
  }
  return checkAppUrl(url, field, devMode);
}
