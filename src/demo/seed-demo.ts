/**
 * The demo `npm start` shows, end to end and idempotent per data dir: a calling app registers its
 * recording endpoint (callscribe's own app backend on this server), uploads generated two-channel
 * calls, logs them with their contacts through the HubSpot-compatible API, and marks them ready;
 * the pipeline fetches, transcribes and attaches the transcripts. One call belongs to an owner
 * without a paid seat, so the demo also shows a refusal with its reason.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createHubSpotSyncClient } from '../app-backend/hubspot-sync/index.js';
import type { Callscribe } from '../main.js';
import { generateCallAudio, SAMPLE_DIALOGUE, type Turn } from './call-audio.js';

export const DEMO_APP_ID = '1234567';
export const DEMO_ACCOUNT = 'demo-account';

const INBOUND_DIALOGUE: readonly Turn[] = [
  { channel: 1, text: 'Hi, this is Lee Chen. I am calling about my invoice from last month.' },
  { channel: 2, text: 'Hello Lee, this is Dana. Let me look that up for you right away.' },
  { channel: 1, text: 'Thank you. I think I was charged twice for the same plan.' },
  { channel: 2, text: 'You are right, I can see the double charge. I will refund it today.' },
];

async function ensureOwner(
  system: Callscribe,
  email: string,
  seat: 'sales' | 'core',
  firstName: string,
  lastName: string,
) {
  const existing = await system.owners.list({ email });
  return existing.results[0] ?? (await system.owners.add({ email, seat, firstName, lastName }));
}

async function ensureContact(system: Callscribe, properties: Record<string, string>): Promise<string> {
  try {
    return (await system.crm.objects.get('contacts', properties['email']!, { idProperty: 'email' })).id;
  } catch {
    return (await system.crm.objects.create('contacts', { properties })).id;
  }
}

export async function seedDemo(
  system: Callscribe,
  out: (line: string) => void,
  options: { url?: string } = {},
): Promise<void> {
  const url = options.url ?? system.config.publicUrl;
  const dana = await ensureOwner(system, 'demo.owner@example.com', 'sales', 'Dana', 'Demo');
  const casey = await ensureOwner(system, 'casey.core@example.com', 'core', 'Casey', 'Core');
  const token = await system.tokens.create('private_app', 'demo');
  const developerKey = await system.tokens.create('developer_api_key', 'demo');
  out(`Demo access token: ${token}`);

  const sam = await ensureContact(system, {
    firstname: 'Sam',
    lastname: 'Rivera',
    email: 'sam.rivera@example.com',
    phone: '+1 555 0100',
  });
  const lee = await ensureContact(system, {
    firstname: 'Lee',
    lastname: 'Chen',
    email: 'lee.chen@example.com',
    phone: '+1 555 0101',
  });

  // The calling app's side, talking to this server exactly as it would talk to HubSpot.
  const app = createHubSpotSyncClient({ baseUrl: url, accessToken: token, developerApiKey: developerKey });
  await app.registerRecordingUrl(DEMO_APP_ID, `${url}/app/v1/recordings/%s`);

  const audioDir = path.join(system.config.dataDir, 'demo-audio');
  const calls = [
    {
      id: 'demo-call-1',
      title: 'Order follow-up',
      direction: 'OUTBOUND' as const,
      owner: dana.id,
      contact: sam,
      turns: SAMPLE_DIALOGUE,
    },
    {
      id: 'demo-call-2',
      title: 'Invoice question',
      direction: 'INBOUND' as const,
      owner: dana.id,
      contact: lee,
      turns: INBOUND_DIALOGUE,
    },
    {
      id: 'demo-call-3',
      title: 'Intro call (owner without a paid seat)',
      direction: 'OUTBOUND' as const,
      owner: casey.id,
      contact: sam,
      turns: SAMPLE_DIALOGUE,
    },
  ];
  for (const call of calls) {
    const audio = await generateCallAudio(path.join(audioDir, call.id), call.turns);
    await system.recordings.store({
      externalAccountId: DEMO_ACCOUNT,
      externalId: call.id,
      appId: DEMO_APP_ID,
      body: createReadStream(audio.path),
    });
    // The sync client logs a call once: it finds one with the same external ids before creating.
    const { id: callId } = await app.logCall({
      appId: DEMO_APP_ID,
      externalAccountId: DEMO_ACCOUNT,
      externalId: call.id,
      title: call.title,
      direction: call.direction,
      ownerId: call.owner,
      durationMs: Math.round(audio.seconds * 1000),
      fromNumber: '+1 555 0199',
      toNumber: '+1 555 0100',
      associations: [{ to: 'contact', id: call.contact }],
    });
    await app.markReady(callId);
    out(
      `Demo call ${callId} (${call.title}): transcription at ${url}/callscribe/v1/calls/${callId}/transcription`,
    );
  }
  out(`Demo timeline (Sam Rivera's calls, transcribed and playable): ${url}/ui/records/contacts/${sam}`);
}
