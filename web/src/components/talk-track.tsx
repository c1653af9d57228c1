/**
 * The talk-track: one lane per speaker (channel 1 caller, channel 2 recipient) with each
 * utterance's speech drawn on a canvas, search hits marked, and a playhead. Clicking or dragging
 * on it seeks; as a slider it is reachable by keyboard.
 */
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { clock } from '../lib/format.ts';
import type { PlaybackClock } from '../lib/playback-clock.ts';
import type { SearchHit, TranscriptIndex } from '../lib/transcript-index.ts';

export const LANE_COLORS = ['#0b57d0', '#c2410c', '#15803d', '#7e22ce'];
const MAX_MARKS = 400;

interface Props {
  index: TranscriptIndex;
  durationMillis: number;
  clock: PlaybackClock;
  hits: SearchHit[];
  activeHit: number;
  onSeek(ms: number): void;
}

export function TalkTrack({ index, durationMillis, clock: playback, hits, activeHit, onSeek }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const slider = useRef<HTMLDivElement>(null);
  const lanes = Math.max(1, index.lanes.length);
  const duration = Math.max(1, durationMillis);

  useLayoutEffect(() => {
    const el = canvas.current!;
    const draw = () => {
      const ratio = devicePixelRatio || 1;
      const width = el.clientWidth;
      const height = el.clientHeight;
      el.width = Math.round(width * ratio);
      el.height = Math.round(height * ratio);
      const ctx = el.getContext('2d');
      if (!ctx) return;
      ctx.scale(ratio, ratio);
      const laneHeight = height / lanes;
      for (let l = 0; l < lanes; l++) {
        ctx.fillStyle = l % 2 ? '#f4f5f7' : '#eceff3';
        ctx.fillRect(0, l * laneHeight, width, laneHeight);
      }
      // One rectangle per utterance, at least a pixel wide so short replies stay visible.
      for (const u of index.utterances) {
        ctx.fillStyle = LANE_COLORS[u.lane % LANE_COLORS.length]!;
        const x = (u.start / duration) * width;
        const w = Math.max(1, ((u.end - u.start) / duration) * width);
        ctx.fillRect(x, u.lane * laneHeight + laneHeight * 0.2, w, laneHeight * 0.6);
      }
    };
    draw();
    const resize = new ResizeObserver(draw);
    resize.observe(el);
    return () => resize.disconnect();
  }, [index, duration, lanes]);

  useEffect(
    () =>
      playback.subscribe((ms) => {
        if (head.current) head.current.style.left = `${Math.min(100, (ms / duration) * 100)}%`;
        const s = slider.current;
        if (s) {
          s.setAttribute('aria-valuenow', String(Math.round(ms / 1000)));
          s.setAttribute('aria-valuetext', `${clock(ms)} of ${clock(duration)}`);
        }
      }),
    [playback, duration],
  );

  const seekAt = (event: PointerEvent) => {
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const x = Math.min(Math.max(0, event.clientX - rect.left), rect.width);
    onSeek((x / rect.width) * duration);
  };

  const marks =
    hits.length > MAX_MARKS ? hits.filter((_, i) => i % Math.ceil(hits.length / MAX_MARKS) === 0) : hits;

  return (
    <div class="talk-track">
      <ul class="lane-labels" aria-label="Speakers">
        {index.lanes.map((lane, i) => (
          <li key={lane.key} style={{ color: LANE_COLORS[i % LANE_COLORS.length] }}>
            <span
              class="swatch"
              style={{ background: LANE_COLORS[i % LANE_COLORS.length] }}
              aria-hidden="true"
            />
            {lane.role}: <strong>{lane.name}</strong>
          </li>
        ))}
      </ul>
      <div
        ref={slider}
        class="track-area"
        role="slider"
        tabIndex={0}
        aria-label="Position in call (speech of each speaker drawn; search hits marked)"
        aria-valuemin={0}
        aria-valuemax={Math.round(duration / 1000)}
        aria-valuenow={0}
        style={{ height: `${lanes * 26}px` }}
        onPointerDown={(e) => {
          (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
          seekAt(e);
        }}
        onPointerMove={(e) => e.buttons === 1 && seekAt(e)}
        onKeyDown={(e) => {
          if (e.key === 'Home') onSeek(0);
          else if (e.key === 'End') onSeek(duration);
        }}
      >
        <canvas ref={canvas} />
        {marks.map((hit) => (
          <span
            key={`${hit.utterance}-${hit.firstWord}`}
            class={`hit-mark${hits[activeHit] === hit ? ' hit-mark-active' : ''}`}
            style={{
              left: `${(hit.timeMillis / duration) * 100}%`,
              top: `${(hit.lane / lanes) * 100}%`,
              height: `${100 / lanes}%`,
            }}
            aria-hidden="true"
          />
        ))}
        <div class="playhead" ref={head} aria-hidden="true" />
      </div>
      <div class="track-scale" aria-hidden="true">
        <span>0:00</span>
        <span>{clock(duration / 2)}</span>
        <span>{clock(duration)}</span>
      </div>
    </div>
  );
}
