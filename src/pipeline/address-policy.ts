/**
 * Which network addresses the recording fetcher may connect to. In production HubSpot-style
 * fetches must never reach loopback, private, link-local or other special-purpose addresses
 * (RFC 6890) — the classic server-side request forgery targets. Dev mode allows loopback, so an
 * app endpoint running beside callscribe on 127.0.0.1 works.
 *
 * The policy judges the address actually connected to (after DNS), never the host name, and
 * unwraps IPv4 written as IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`) first.
 */
import { BlockList, isIP } from 'node:net';

/** Returns why `address` is refused, or undefined when it may be connected to. */
export type AddressPolicy = (address: string) => string | undefined;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const SPECIAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // carrier-grade NAT (RFC 6598)
  ['169.254.0.0', 16], // link-local, cloud metadata at 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  SPECIAL.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['2002::', 16], // 6to4: an IPv4 address in disguise
] as const) {
  SPECIAL.addSubnet(net, bits, 'ipv6');
}

/** `::ffff:a.b.c.d` / `::ffff:XXXX:XXXX` → `a.b.c.d`; other addresses unchanged (zone ids dropped). */
export function unmapIPv4(address: string): string {
  const plain = address.replace(/%.*$/, '').toLowerCase();
  const dotted =
    /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain) ??
    /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(plain);
  if (hex?.[1] && hex[2]) {
    const hi = Number.parseInt(hex[1], 16);
    const lo = Number.parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return plain;
}

function classify(address: string): 'loopback' | 'special' | 'public' | 'invalid' {
  const ip = unmapIPv4(address);
  const family = isIP(ip);
  if (family === 0) return 'invalid';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (LOOPBACK.check(ip, type)) return 'loopback';
  if (SPECIAL.check(ip, type)) return 'special';
  return 'public';
}

/** Production: public unicast addresses only. */
export const productionAddressPolicy: AddressPolicy = (address) => {
  const kind = classify(address);
  if (kind === 'public') return undefined;
  if (kind === 'invalid') return `${address} is not an IP address`;
  return `${address} is a ${kind === 'loopback' ? 'loopback' : 'private, link-local or reserved'} address, which recordings may not be fetched from in production`;
};

/** Dev mode: public addresses and loopback. */
export const devAddressPolicy: AddressPolicy = (address) =>
  classify(address) === 'loopback' ? undefined : productionAddressPolicy(address);

/** The policy for a mode. */
export function addressPolicyFor(devMode: boolean): AddressPolicy {
  return devMode ? devAddressPolicy : productionAddressPolicy;
}
