/** A record and its timeline: the associated calls, newest first, each with its transcript state. */
import { useEffect, useState } from 'preact/hooks';
import {
  type CrmObject,
  callTime,
  getOwners,
  getRecord,
  getRecordCalls,
  getTranscriptionStatus,
  type ObjectType,
  type Owner,
  requestTranscription,
  type TranscriptionStatus,
} from '../lib/api.ts';
import {
  dateTime,
  ownerName,
  recordDetail,
  recordName,
  spokenDuration,
  TYPE_LABEL,
  titleCase,
} from '../lib/format.ts';
import { callHref, recordsHref } from '../lib/router.ts';
import { deriveCallState, wantsTranscription } from '../lib/state.ts';
import { StateBadge } from './state-badge.tsx';

interface Loaded {
  record: CrmObject;
  calls: CrmObject[];
  owners: Map<string, Owner>;
}

/** Reads statuses a few at a time: a timeline of 200 calls must not open 200 requests at once. */
async function loadStatuses(calls: CrmObject[]): Promise<Map<string, TranscriptionStatus | null>> {
  const out = new Map<string, TranscriptionStatus | null>();
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const call = calls[next++]!;
      out.set(call.id, await getTranscriptionStatus(call.id).catch(() => null));
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

export function RecordPage({ type, id }: { type: ObjectType; id: string }) {
  const [data, setData] = useState<Loaded | null>(null);
  const [statuses, setStatuses] = useState<Map<string, TranscriptionStatus | null>>(new Map());
  const [error, setError] = useState('');

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    (async () => {
      const [record, calls, owners] = await Promise.all([
        getRecord(type, id),
        getRecordCalls(type, id),
        getOwners(),
      ]);
      if (cancelled) return;
      document.title = `${recordName(type, record)} · callscribe`;
      setData({ record, calls, owners });
      // Live status: while any call is in the pipeline, look again every few seconds.
      const refresh = async () => {
        const next = await loadStatuses(calls);
        if (cancelled) return;
        // Issue 7's third trigger: the timeline shows a recorded call without a transcript.
        for (const call of calls) {
          if (wantsTranscription(call, next.get(call.id) ?? null)) {
            next.set(call.id, await requestTranscription(call.id).catch(() => next.get(call.id) ?? null));
          }
        }
        setStatuses(next);
        const busy = [...next.values()].some(
          (s) => s && ['queued', 'fetching', 'transcribing'].includes(s.state),
        );
        if (busy) timer = setTimeout(refresh, 3000);
      };
      await refresh();
    })().catch((e: Error) => !cancelled && setError(e.message));
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [type, id]);

  if (error)
    return (
      <section>
        <p class="error" role="alert">
          {error}
        </p>
        <a href={recordsHref(type)}>Back to {TYPE_LABEL[type].many.toLowerCase()}</a>
      </section>
    );
  if (!data) return <p class="muted">Loading…</p>;

  const { record, calls, owners } = data;
  return (
    <section class="record">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={recordsHref(type)}>{TYPE_LABEL[type].many}</a>
      </nav>
      <h1>{recordName(type, record)}</h1>
      <p class="muted">{recordDetail(type, record) || `${TYPE_LABEL[type].one} ${record.id}`}</p>
      <h2 id="timeline-heading">
        Calls <span class="count">{calls.length}</span>
      </h2>
      {calls.length === 0 ? (
        <p class="muted">No calls are associated with this {TYPE_LABEL[type].one.toLowerCase()} yet.</p>
      ) : (
        <ol class="timeline" aria-labelledby="timeline-heading">
          {calls.map((call) => {
            const p = call.properties;
            const ownerId = p['hubspot_owner_id'];
            const owner = ownerId ? owners.get(ownerId) : undefined;
            const state = deriveCallState(call, statuses.get(call.id) ?? null, owner);
            const duration = Number(p['hs_call_duration'] ?? 0);
            const direction = p['hs_call_direction'];
            return (
              <li key={call.id} class="call-card" data-call-id={call.id}>
                <div class="call-card-head">
                  <span
                    class={`direction direction-${(direction ?? 'unknown').toLowerCase()}`}
                    aria-hidden="true"
                  >
                    {direction === 'INBOUND' ? '↙' : direction === 'OUTBOUND' ? '↗' : '•'}
                  </span>
                  <a class="call-title" href={callHref(call.id, { type, id })}>
                    {p['hs_call_title'] || `Call ${call.id}`}
                  </a>
                  <time dateTime={new Date(callTime(call) || 0).toISOString()}>
                    {dateTime(callTime(call))}
                  </time>
                </div>
                <dl class="facts">
                  <div>
                    <dt>Direction</dt>
                    <dd>{titleCase(direction)}</dd>
                  </div>
                  <div>
                    <dt>Status</dt>
                    <dd>{titleCase(p['hs_call_status'])}</dd>
                  </div>
                  <div>
                    <dt>Owner</dt>
                    <dd>{ownerName(owner, ownerId)}</dd>
                  </div>
                  <div>
                    <dt>Duration</dt>
                    <dd>{duration > 0 ? spokenDuration(duration) : '—'}</dd>
                  </div>
                </dl>
                <StateBadge state={state} />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
