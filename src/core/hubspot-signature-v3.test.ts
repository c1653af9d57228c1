import { describe, expect, it } from 'vitest';
import {
  hubSpotSignatureHeadersV3,
  normalizeSignedUri,
  signHubSpotRequestV3,
  verifyHubSpotRequestV3,
} from './hubspot-signature-v3.js';

const secret = 'secret-1';
const uri = 'https://app.example/recordings/c-1?appId=42&externalAccountId=acc%201';
const ts = 1_700_000_000_000;

describe('HubSpot signature v3', () => {
  it('matches an HMAC computed independently (openssl dgst -sha256 -hmac … | base64)', () => {
    // printf '%s' 'GEThttps://app.example/recordings/c-1?appId=42&externalAccountId=acc%2011700000000000'
    //   | openssl dgst -sha256 -hmac secret-1 -binary | base64
    expect(signHubSpotRequestV3(secret, { method: 'GET', uri, timestamp: ts })).toBe(
      '2c5ZcOPrNKQwQ3dpCi/VafZTjvEFB5fu5baY/FexdOA=',
    );
  });

  it('decodes only the listed escapes before signing', () => {
    expect(normalizeSignedUri('https://h/p%3Aq%2fr%40s?x=%20%25%2a%2C')).toBe('https://h/p:q/r@s?x=%20%25*,');
    const a = signHubSpotRequestV3(secret, { method: 'GET', uri: 'https://h/a%3Ab', timestamp: ts });
    const b = signHubSpotRequestV3(secret, { method: 'GET', uri: 'https://h/a:b', timestamp: ts });
    expect(a).toBe(b);
  });

  const headers = hubSpotSignatureHeadersV3(secret, { method: 'POST', uri, body: '{"a":1}' }, ts);
  const base = {
    method: 'POST',
    uris: [uri],
    body: '{"a":1}',
    timestamp: headers['X-HubSpot-Request-Timestamp'],
    signature: headers['X-HubSpot-Signature-v3'],
  };
  const cases: Array<[string, string, Partial<typeof base>, { now?: number; secret?: string }, string]> = [
    ['valid', secret, {}, {}, 'ok'],
    ['valid, one of several uris', secret, { uris: ['https://other/x', uri] }, {}, 'ok'],
    ['wrong secret', 'other-secret', {}, {}, 'mismatch'],
    ['altered body', secret, { body: '{"a":2}' }, {}, 'mismatch'],
    ['altered URL', secret, { uris: [uri.replace('c-1', 'c-2')] }, {}, 'mismatch'],
    ['altered method', secret, { method: 'GET' }, {}, 'mismatch'],
    ['stale timestamp (5 min + 1 ms)', secret, {}, { now: ts + 300_001 }, 'stale'],
    ['timestamp far in the future', secret, {}, { now: ts - 300_001 }, 'stale'],
    ['at the edge of the window', secret, {}, { now: ts + 300_000 }, 'ok'],
    ['missing signature', secret, { signature: undefined }, {}, 'missing'],
    ['missing timestamp', secret, { timestamp: undefined }, {}, 'missing'],
    ['non-numeric timestamp', secret, { timestamp: 'yesterday' }, {}, 'bad-timestamp'],
  ];
  it.each(cases)('%s', (_name, key, change, opts, expected) => {
    const verdict = verifyHubSpotRequestV3(key, { ...base, ...change }, { now: opts.now ?? ts + 1000 });
    expect(verdict.ok ? 'ok' : verdict.reason).toBe(expected);
  });
});
