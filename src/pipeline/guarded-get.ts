/**
 * One guarded HTTP GET with redirects, for fetching recordings from addresses apps give us:
 * only http(s); at most `maxRedirects` hops; each hop's connection checked against the address
 * policy twice — in the DNS lookup (so a refused address is never connected to) and on the
 * connected socket's `remoteAddress` (so nothing that bypasses the lookup, such as an IP literal or
 * a rebinding resolver, slips through); no connection reuse between hops; a deadline over the
 * whole exchange; a byte limit on the body.
 */
import { lookup as dnsLookup } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { AppError } from '../core/errors.js';
import type { AddressPolicy } from './address-policy.js';

/** Resolves a host name to addresses (dns.lookup with `all: true` by default). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

export interface GuardedGetOptions {
  policy: AddressPolicy;
  /** Deadline for the whole exchange including redirects and body, in ms. */
  timeoutMs: number;
  maxRedirects: number;
  headers?: Record<string, string>;
  /** Headers sent only on the first hop (signatures must not leak to other hosts). */
  firstHopHeaders?: Record<string, string>;
  resolver?: Resolver;
  /** What is being fetched, for messages ("the recording endpoint"). */
  what: string;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: IncomingMessage;
  /** The URL that answered (after redirects). */
  url: string;
  /** Cancels the exchange (and its deadline). */
  close(): void;
  /** Rejects with the deadline's error if the exchange times out while the body streams. */
  deadline: Promise<never>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function refused(what: string, message: string): AppError {
  return new AppError('E_RECORDING_URL_REFUSED', `${what}: ${message}.`);
}

function guardedLookup(policy: AddressPolicy, resolver: Resolver, what: string): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = addresses.filter((a) => family === 0 || a.family === family);
        for (const a of usable) {
          const reason = policy(a.address);
          if (reason) return callback(refused(what, `${hostname} resolves to ${reason}`), '', 0);
        }
        if (usable.length === 0) {
          const error = Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
          return callback(error, '', 0);
        }
        if (options.all) return (callback as (e: null, a: typeof usable) => void)(null, usable);
        callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error) => callback(error, '', 0),
    );
  };
}

/** GETs `url`, following redirects under the guard. The caller reads or closes `body`. */
export async function guardedGet(url: string, options: GuardedGetOptions): Promise<GuardedResponse> {
  let rejectDeadline!: (error: Error) => void;
  const deadline = new Promise<never>((_, reject) => (rejectDeadline = reject));
  deadline.catch(() => undefined);
  let current: http.ClientRequest | undefined;
  const timer = setTimeout(() => {
    const error = new AppError(
      'E_RECORDING_FETCH_TIMEOUT',
      `${options.what} did not answer within ${Math.round(options.timeoutMs / 1000)} s.`,
    );
    current?.destroy(error);
    rejectDeadline(error);
  }, options.timeoutMs);
  const close = () => {
    clearTimeout(timer);
    current?.destroy();
  };
  try {
    let target = new URL(url);
    for (let hop = 0; ; hop++) {
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        throw refused(options.what, `only http and https URLs are fetched, not ${target.protocol}`);
      }
      const response = await Promise.race([
        requestOnce(target, hop === 0, options, (req) => (current = req)),
        deadline,
      ]);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || !location) {
        return {
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: response,
          url: target.toString(),
          close,
          deadline,
        };
      }
      response.resume();
      if (hop >= options.maxRedirects) {
        throw refused(options.what, `more than ${options.maxRedirects} redirects`);
      }
      target = new URL(location, target);
    }
  } catch (error) {
    close();
    throw error;
  }
}

function requestOnce(
  target: URL,
  firstHop: boolean,
  options: GuardedGetOptions,
  onRequest: (req: http.ClientRequest) => void,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const hostname = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(hostname)) {
      const reason = options.policy(hostname);
      if (reason) return reject(refused(options.what, reason));
    }
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(target, {
      method: 'GET',
      // A fresh connection per hop: a kept-alive socket would skip the checks below.
      agent: false,
      lookup: guardedLookup(options.policy, options.resolver ?? systemResolver, options.what),
      headers: { ...options.headers, ...(firstHop ? options.firstHopHeaders : {}) },
    });
    onRequest(req);
    req.on('socket', (socket: Socket) => {
      const check = () => {
        const address = socket.remoteAddress;
        const reason = address ? options.policy(address) : 'the connected address is unknown';
        if (reason) req.destroy(refused(options.what, `connected to ${reason}`));
      };
      // Checked when the TCP connection is up, before TLS or any response is read.
      if (socket.remoteAddress) check();
      else socket.once('connect', check);
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

/** Reads a body up to `maxBytes`; more is an E_RECORDING_TOO_LARGE (or `tooLarge()` if given). */
export async function readBounded(
  response: GuardedResponse,
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const read = (async () => {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.close();
        throw new AppError('E_RECORDING_TOO_LARGE', `${what} sent more than ${maxBytes} bytes.`);
      }
      chunks.push(chunk as Buffer);
    }
  })();
  await Promise.race([read, response.deadline]);
  return Buffer.concat(chunks);
}
