/**
 * The audio player: a native <audio> on the app backend's authenticated URL. The browser asks
 * for byte ranges as it plays and seeks (the URL answers `Range` with 206), so an hour-long call
 * starts at once. Keyboard: space play/pause, ←/→ 5 s back/forward.
 */
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { clock } from '../lib/format.ts';
import { isTyping } from '../lib/keys.ts';
import type { PlaybackClock } from '../lib/playback-clock.ts';

interface Props {
  audio: RefObject<HTMLAudioElement>;
  src: string;
  clock: PlaybackClock;
  durationMillis: number;
  onSeek(ms: number): void;
  /** The signed URL expired or failed: fetch a fresh one. */
  onSourceError(): void;
  onDuration(ms: number): void;
}

export function CallPlayer({
  audio,
  src,
  clock: playback,
  durationMillis,
  onSeek,
  onSourceError,
  onDuration,
}: Props) {
  const [playing, setPlaying] = useState(false);
  const time = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    playback.attach(audio.current);
    const off = playback.subscribe((ms, isPlaying) => {
      if (time.current) time.current.textContent = `${clock(ms)} / ${clock(durationMillis)}`;
      setPlaying(isPlaying);
    });
    return () => {
      off();
    };
  }, [playback, durationMillis, src]);

  useEffect(() => () => playback.detach(), [playback]);

  const toggle = () => {
    const a = audio.current;
    if (!a) return;
    if (a.paused) void a.play().catch(() => undefined);
    else a.pause();
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target))
        return;
      const target = event.target as HTMLElement;
      const a = audio.current;
      if (!a) return;
      if (event.key === ' ' || event.code === 'Space') {
        // Buttons and links keep their own space behaviour (activation), as users expect.
        if (target.closest?.('button, a, audio, summary')) return;
        event.preventDefault();
        toggle();
      } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
        if (target.closest?.('audio')) return;
        event.preventDefault();
        const delta = event.key === 'ArrowLeft' ? -5000 : 5000;
        onSeek(Math.max(0, a.currentTime * 1000 + delta));
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onSeek]);

  return (
    <div class="player">
      <button
        type="button"
        class="play"
        onClick={toggle}
        aria-label={playing ? 'Pause' : 'Play'}
        aria-keyshortcuts="Space"
        data-playing={playing ? 'true' : 'false'}
      >
        <svg viewBox="0 0 24 24" aria-hidden="true" width="22" height="22">
          {playing ? <path d="M6 5h4v14H6zM14 5h4v14h-4z" /> : <path d="M7 4.5v15l12-7.5z" />}
        </svg>
      </button>
      <span class="time" ref={time} aria-live="off">
        0:00 / {clock(durationMillis)}
      </span>
      {/* biome-ignore lint/a11y/useMediaCaption: the transcript beside the player is the caption */}
      <audio
        ref={audio}
        src={src}
        controls
        preload="metadata"
        aria-label="Call recording"
        onError={onSourceError}
        onLoadedMetadata={(e) => {
          const d = (e.currentTarget as HTMLAudioElement).duration;
          if (Number.isFinite(d)) onDuration(d * 1000);
        }}
      />
      <label class="rate">
        <span class="visually-hidden">Playback speed</span>
        <select
          aria-label="Playback speed"
          onChange={(e) => {
            if (audio.current) audio.current.playbackRate = Number((e.target as HTMLSelectElement).value);
          }}
        >
          {[0.75, 1, 1.25, 1.5, 2].map((r) => (
            <option key={r} value={r} selected={r === 1}>
              {r}×
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
