/**
 * A call: facts and state, the player on the recording, the talk-track, the transcript that
 * follows playback (with search), analytics plots and actions. `#t=SECONDS` opens at a moment.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { computeAnalytics } from '../lib/analytics.ts';
import {
  type CrmObject,
  callTime,
  getCall,
  getOwners,
  getRecordingUrl,
  getTranscript,
  getTranscriptionStatus,
  type ObjectType,
  type Owner,
  requestTranscription,
  retryTranscription,
  type Transcript,
  type TranscriptionStatus,
  watchTranscription,
} from '../lib/api.ts';
import { dateTime, ownerName, spokenDuration, TYPE_LABEL, titleCase } from '../lib/format.ts';
import { PlaybackClock } from '../lib/playback-clock.ts';
import { recordHref } from '../lib/router.ts';
import { deriveCallState, wantsTranscription } from '../lib/state.ts';
import { buildTranscriptIndex } from '../lib/transcript-index.ts';
import { AnalyticsPlots } from './analytics-plots.tsx';
import { CallActions } from './call-actions.tsx';
import { CallPlayer } from './call-player.tsx';
import { StateBadge } from './state-badge.tsx';
import { TalkTrack } from './talk-track.tsx';
import { TranscriptSearch, useTranscriptSearch } from './transcript-search.tsx';
import { TranscriptView, type TranscriptViewHandle } from './transcript-view.tsx';

const BUSY = new Set(['queued', 'fetching', 'transcribing']);

function momentFromHash(): number | null {
  const match = /(?:^#|&)t=([\d.]+)/.exec(location.hash);
  return match ? Number(match[1]) * 1000 : null;
}

export function CallPage({ id, from }: { id: string; from?: { type: ObjectType; id: string } }) {
  const [call, setCall] = useState<CrmObject | null>(null);
  const [owner, setOwner] = useState<Owner | undefined>();
  const [status, setStatus] = useState<TranscriptionStatus | null>(null);
  const [transcript, setTranscript] = useState<Transcript | null>(null);
  const [audioUrl, setAudioUrl] = useState<string | null | undefined>(undefined);
  const [audioError, setAudioError] = useState('');
  const [mediaDuration, setMediaDuration] = useState(0);
  const [error, setError] = useState('');
  const audio = useRef<HTMLAudioElement>(null);
  const view = useRef<TranscriptViewHandle>(null);
  const playback = useMemo(() => new PlaybackClock(), []);
  const urlRetries = useRef(0);
  const appliedMoment = useRef('');

  const loadTranscript = async (c: CrmObject, s: TranscriptionStatus | null) => {
    const transcriptId =
      s?.transcriptId ??
      (c.properties['hs_call_has_transcript'] === 'true' ? c.properties['hs_call_transcription_id'] : null);
    setTranscript(transcriptId ? await getTranscript(transcriptId) : null);
  };

  const load = async () => {
    const [c, owners, first] = await Promise.all([getCall(id), getOwners(), getTranscriptionStatus(id)]);
    const s = wantsTranscription(c, first) ? await requestTranscription(id).catch(() => first) : first;
    document.title = `${c.properties['hs_call_title'] || `Call ${id}`} · callscribe`;
    setCall(c);
    setOwner(owners.get(c.properties['hubspot_owner_id'] ?? ''));
    setStatus(s);
    await loadTranscript(c, s);
    return c;
  };

  const loadAudio = async (c: CrmObject) => {
    try {
      setAudioUrl(await getRecordingUrl(c));
      setAudioError('');
    } catch (e) {
      setAudioUrl(null);
      setAudioError((e as Error).message);
    }
  };

  useEffect(() => {
    load()
      .then(loadAudio)
      .catch((e: Error) => setError(e.message));
  }, [id]);

  // Live status while the pipeline works on this call; reload the call when it finishes.
  const busy = !!status && BUSY.has(status.state);
  useEffect(() => {
    if (!busy) return;
    return watchTranscription(id, (next) => {
      setStatus(next);
      if (!BUSY.has(next.state)) void load().catch((e: Error) => setError(e.message));
    });
  }, [id, busy]);

  const index = useMemo(
    () =>
      transcript && transcript.transcriptUtterances.length > 0
        ? buildTranscriptIndex(transcript.transcriptUtterances, {
            ownerId: call?.properties['hubspot_owner_id'],
            direction: call?.properties['hs_call_direction'],
          })
        : null,
    [transcript, call],
  );
  const analytics = useMemo(
    () => status?.analytics ?? (index ? computeAnalytics(index) : null),
    [status, index],
  );
  const search = useTranscriptSearch(index);

  const durationMillis = Math.max(
    mediaDuration,
    index?.durationMillis ?? 0,
    Number(call?.properties['hs_call_duration'] ?? 0) || 0,
  );

  const seek = useCallback(
    (ms: number) => {
      const a = audio.current;
      const clamped = Math.max(0, durationMillis > 0 ? Math.min(ms, durationMillis) : ms);
      if (a) a.currentTime = clamped / 1000;
      view.current?.reveal(clamped);
    },
    [durationMillis],
  );

  // `#t=` opens the call at a moment (links made with "Copy link to this moment").
  useEffect(() => {
    // Each moment is applied once, as soon as the player exists (not again on later reloads).
    const go = () => {
      const t = momentFromHash();
      if (t === null || !audio.current || appliedMoment.current === location.hash) return;
      appliedMoment.current = location.hash;
      seek(t);
    };
    go();
    addEventListener('hashchange', go);
    return () => removeEventListener('hashchange', go);
  }, [seek, audioUrl, index]);

  useEffect(() => {
    const hit = search.hits[search.active];
    if (hit && search.jump) seek(hit.timeMillis);
  }, [search.active, search.jump]);

  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!call) return <p class="muted">Loading…</p>;

  const p = call.properties;
  const state = deriveCallState(call, status, owner);
  const duration = Number(p['hs_call_duration'] ?? 0);

  return (
    <article class="call" aria-labelledby="call-title">
      {from && (
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href={recordHref(from.type, from.id)}>Back to the {TYPE_LABEL[from.type].one.toLowerCase()}</a>
        </nav>
      )}
      <header class="call-head">
        <h1 id="call-title">{p['hs_call_title'] || `Call ${call.id}`}</h1>
        <dl class="facts">
          <div>
            <dt>Direction</dt>
            <dd>{titleCase(p['hs_call_direction'])}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>{titleCase(p['hs_call_status'])}</dd>
          </div>
          <div>
            <dt>Owner</dt>
            <dd>{ownerName(owner, p['hubspot_owner_id'])}</dd>
          </div>
          <div>
            <dt>When</dt>
            <dd>{dateTime(callTime(call))}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{duration > 0 ? spokenDuration(duration) : '—'}</dd>
          </div>
        </dl>
        <div aria-live="polite">
          <StateBadge state={state} />
        </div>
      </header>

      <section class="listen" aria-label="Recording">
        {audioUrl ? (
          <CallPlayer
            audio={audio}
            src={audioUrl}
            clock={playback}
            durationMillis={durationMillis}
            onSeek={seek}
            onDuration={setMediaDuration}
            onSourceError={() => {
              // Signed URLs expire: fetch a fresh one (once per page), keeping the position.
              if (urlRetries.current++ > 0) return setAudioError('The recording could not be played.');
              const at = audio.current?.currentTime ?? 0;
              void loadAudio(call).then(() => {
                if (audio.current) audio.current.currentTime = at;
              });
            }}
          />
        ) : (
          <p class="muted">
            {audioUrl === undefined
              ? 'Loading the recording…'
              : audioError
                ? `Recording unavailable: ${audioError}`
                : 'No recording for this call.'}
          </p>
        )}
        {audioUrl && audioError && (
          <p class="error" role="alert">
            {audioError}
          </p>
        )}
        {index && (
          <TalkTrack
            index={index}
            durationMillis={durationMillis}
            clock={playback}
            hits={search.hits}
            activeHit={search.active}
            onSeek={seek}
          />
        )}
      </section>

      <div class="call-body">
        <section class="transcript-section" aria-labelledby="transcript-heading">
          <h2 id="transcript-heading">Transcript</h2>
          {index ? (
            <>
              <TranscriptSearch search={search} />
              <TranscriptView
                handle={view}
                index={index}
                clock={playback}
                hits={search.hits}
                activeHit={search.active}
                onSeek={seek}
              />
            </>
          ) : (
            <p class="muted">{state.kind === 'done' ? 'The transcript is empty.' : 'No transcript yet.'}</p>
          )}
        </section>
        <aside class="side">
          <CallActions
            callId={call.id}
            index={index}
            currentMillis={() => playback.ms}
            canRetry={status?.state === 'failed'}
            onRetry={async () => {
              const next = await retryTranscription(call.id);
              setStatus(
                next && typeof next === 'object' && 'state' in next
                  ? next
                  : await getTranscriptionStatus(call.id),
              );
            }}
          />
          {analytics && <AnalyticsPlots analytics={analytics} />}
        </aside>
      </div>
    </article>
  );
}
