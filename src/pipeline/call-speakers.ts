/**
 * Who is on which channel. HubSpot (reference §3): channel 1 is the caller and channel 2 the
 * recipient, whatever the direction — so for an OUTBOUND call (the HubSpot user dialled) channel 1
 * is the owner and channel 2 the contact; for INBOUND the reverse.
 */
import type { Speaker } from '../core/transcript.js';
import type { Owner } from '../crm/owners/owner-store.js';
import type { PipelineRecord } from './pipeline-crm.js';

export function ownerSpeaker(owner: Owner): Speaker {
  const name = `${owner.firstName} ${owner.lastName}`.trim() || owner.email;
  return { id: owner.id, name, email: owner.email };
}

export function contactSpeaker(contact: PipelineRecord | undefined, call: PipelineRecord): Speaker {
  if (!contact) {
    // No associated contact: name the other party by the number dialled or dialling in.
    const direction = call.properties['hs_call_direction'];
    const number =
      direction === 'INBOUND' ? call.properties['hs_call_from_number'] : call.properties['hs_call_to_number'];
    return { id: `call-${call.id}-contact`, name: number || 'Unknown contact' };
  }
  const p = contact.properties;
  const name =
    `${p['firstname'] ?? ''} ${p['lastname'] ?? ''}`.trim() ||
    p['email'] ||
    p['phone'] ||
    `Contact ${contact.id}`;
  return { id: contact.id, name, ...(p['email'] ? { email: p['email'] } : {}) };
}

/** Speakers by channel (index 0 = channel 1). */
export function callSpeakers(
  call: PipelineRecord,
  owner: Owner,
  contact: PipelineRecord | undefined,
): [Speaker, Speaker] {
  const user = ownerSpeaker(owner);
  const other = contactSpeaker(contact, call);
  return call.properties['hs_call_direction'] === 'INBOUND' ? [other, user] : [user, other];
}
