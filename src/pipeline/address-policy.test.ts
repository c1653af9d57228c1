import { describe, expect, it } from 'vitest';
import { devAddressPolicy, productionAddressPolicy, unmapIPv4 } from './address-policy.js';

describe('address policy', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', '169.254.169.254'],
    ['::FFFF:10.0.0.1', '10.0.0.1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2606:4700::1111', '2606:4700::1111'],
  ])('unmaps %s to %s', (input, expected) => {
    expect(unmapIPv4(input)).toBe(expected);
  });

  // address, production allows, dev allows
  it.each([
    ['93.184.216.34', true, true],
    ['2606:4700:4700::1111', true, true],
    ['127.0.0.1', false, true],
    ['127.1.2.3', false, true],
    ['::1', false, true],
    ['::ffff:127.0.0.1', false, true],
    ['::ffff:7f00:1', false, true],
    ['10.1.2.3', false, false],
    ['172.20.0.1', false, false],
    ['192.168.1.1', false, false],
    ['169.254.169.254', false, false],
    ['::ffff:169.254.169.254', false, false],
    ['100.64.0.1', false, false],
    ['0.0.0.0', false, false],
    ['::', false, false],
    ['fd00::1', false, false],
    ['fe80::1', false, false],
    ['64:ff9b::7f00:1', false, false],
    ['2002:7f00:1::', false, false],
    ['224.0.0.1', false, false],
    ['not-an-ip', false, false],
  ])('%s: production %s, dev %s', (address, production, dev) => {
    expect(productionAddressPolicy(address) === undefined).toBe(production);
    expect(devAddressPolicy(address) === undefined).toBe(dev);
  });

  it('says why an address is refused', () => {
    expect(productionAddressPolicy('::ffff:127.0.0.1')).toMatch(/loopback address/);
    expect(productionAddressPolicy('10.0.0.1')).toMatch(/private, link-local or reserved/);
  });
});
