import { describe, expect, it } from 'vitest';
import type { Owner } from '../crm/owners/owner-store.js';
import { callSpeakers } from './call-speakers.js';

const owner = {
  id: '41000001',
  email: 'dana@example.com',
  firstName: 'Dana',
  lastName: 'Demo',
  seat: 'sales',
} as Owner;
const contact = {
  id: '17591596001',
  properties: { firstname: 'Sam', lastname: 'Rivera', email: 'sam@example.com' },
};
const dana = { id: '41000001', name: 'Dana Demo', email: 'dana@example.com' };
const sam = { id: '17591596001', name: 'Sam Rivera', email: 'sam@example.com' };

describe('call speakers: channel 1 is the caller', () => {
  it.each([
    ['OUTBOUND', [dana, sam]],
    ['INBOUND', [sam, dana]],
    [undefined, [dana, sam]],
  ])('%s', (direction, expected) => {
    const call = { id: '1', properties: { hs_call_direction: direction } };
    expect(callSpeakers(call, owner, contact)).toEqual(expected);
  });

  it('names a missing contact by the number the call went to or came from', () => {
    const call = {
      id: '9',
      properties: { hs_call_direction: 'INBOUND', hs_call_from_number: '+1 555 0100' },
    };
    expect(callSpeakers(call, owner, undefined)[0]).toEqual({ id: 'call-9-contact', name: '+1 555 0100' });
  });

  it('falls back to the email when names are empty', () => {
    const bare = { ...owner, firstName: '', lastName: '' };
    expect(
      callSpeakers({ id: '1', properties: {} }, bare, { id: '5', properties: { email: 'x@example.com' } }),
    ).toEqual([
      { id: owner.id, name: 'dana@example.com', email: 'dana@example.com' },
      { id: '5', name: 'x@example.com', email: 'x@example.com' },
    ]);
  });
});
