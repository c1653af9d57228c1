/**
 * The transcript as speaker-labelled utterances, virtualised: only the utterances in view (plus a
 * margin) are in the DOM, at offsets from measured (or estimated) heights, so an hour-long call
 * with thousands of utterances scrolls as lightly as a short one. The playing word is lit by the
 * playback clock directly in the DOM, found by binary search over word start times.
 */
import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { clock } from '../lib/format.ts';
import type { PlaybackClock } from '../lib/playback-clock.ts';
import {
  lastAtOrBefore,
  type SearchHit,
  type TranscriptIndex,
  utteranceAt,
  wordAt,
} from '../lib/transcript-index.ts';

export interface TranscriptViewHandle {
  /** Scrolls so the utterance playing at `ms` is in view. */
  reveal(ms: number): void;
}

interface Props {
  index: TranscriptIndex;
  clock: PlaybackClock;
  hits: SearchHit[];
  activeHit: number;
  onSeek(ms: number): void;
  /** Receives the view's handle (plain prop: no preact/compat needed for forwardRef). */
  handle?: RefObject<TranscriptViewHandle>;
}

const OVERSCAN_PX = 600;
const FOLLOW_PAUSE_MS = 4000;

function estimateHeight(chars: number, width: number): number {
  const perLine = Math.max(20, Math.floor((width - 32) / 8.2));
  return 34 + Math.ceil(Math.max(1, chars) / perLine) * 24 + 12;
}

export function TranscriptView({ index, clock: playback, hits, activeHit, onSeek, handle }: Props) {
  const scroller = useRef<HTMLElement>(null);
  const n = index.utterances.length;
  const heights = useRef<Float64Array>(new Float64Array(0));
  /** Per row: its estimate from text length, and whether `heights` holds a measurement. */
  const estimates = useRef<Float64Array>(new Float64Array(0));
  const measured = useRef<Uint8Array>(new Uint8Array(0));
  /** Measured ÷ estimated over the rows measured so far: scales the estimates of the others. */
  const scale = useRef({ measured: 0, estimated: 0 });
  const offsets = useRef<Float64Array>(new Float64Array(1));
  const [, setLayoutVersion] = useState(0);
  const [view, setView] = useState({ top: 0, height: 600, width: 700 });
  const current = useRef({ word: -1, utterance: -1 });
  const followPausedUntil = useRef(0);
  const [following, setFollowing] = useState(true);

  const relayout = () => {
    const h = heights.current;
    const o = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) o[i + 1] = o[i]! + h[i]!;
    offsets.current = o;
  };

  // Estimated heights first (one pass over the text lengths), corrected as items are measured.
  useMemo(() => {
    estimates.current = Float64Array.from(index.utterances, (u) => estimateHeight(u.text.length, view.width));
    heights.current = Float64Array.from(estimates.current);
    measured.current = new Uint8Array(n);
    scale.current = { measured: 0, estimated: 0 };
    relayout();
  }, [index]);

  // Word hit flags: 1 = part of a search hit, 2 = the active hit.
  const hitFlags = useMemo(() => {
    const flags = new Uint8Array(index.words.length);
    hits.forEach((hit, i) => {
      for (let w = hit.firstWord; w <= hit.lastWord; w++)
        flags[w] = i === activeHit ? 2 : Math.max(flags[w]!, 1);
    });
    return flags;
  }, [index, hits, activeHit]);

  const scrollToUtterance = (u: number, smooth = false) => {
    const el = scroller.current;
    if (!el || u < 0) return;
    const top = offsets.current[u]! - el.clientHeight / 3;
    el.scrollTo({ top: Math.max(0, top), behavior: smooth ? 'smooth' : 'auto' });
  };

  if (handle) handle.current = { reveal: (ms) => scrollToUtterance(utteranceAt(index, ms)) };

  // Bring the active hit (or, while typing, the first hit) into view.
  useEffect(() => {
    const hit = hits[Math.max(0, activeHit)];
    if (hit) scrollToUtterance(hit.utterance);
  }, [activeHit, hits]);

  // Viewport tracking.
  useLayoutEffect(() => {
    const el = scroller.current!;
    let frame = 0;
    const read = () => {
      frame = 0;
      setView({ top: el.scrollTop, height: el.clientHeight, width: el.clientWidth });
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    const pauseFollow = () => {
      followPausedUntil.current = performance.now() + FOLLOW_PAUSE_MS;
      setFollowing(false);
    };
    read();
    el.addEventListener('scroll', onScroll, { passive: true });
    el.addEventListener('wheel', pauseFollow, { passive: true });
    el.addEventListener('touchmove', pauseFollow, { passive: true });
    const resize = new ResizeObserver(onScroll);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('wheel', pauseFollow);
      el.removeEventListener('touchmove', pauseFollow);
      resize.disconnect();
      cancelAnimationFrame(frame);
    };
  }, []);

  // Correct heights of what was rendered, learn from them how far off the estimates are, and keep
  // what the user is looking at still: rows above the viewport that grew or shrank move the
  // scroll position by as much (the browser's scroll anchoring does not see absolute rows).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const h = heights.current;
    const o = offsets.current;
    const top = el.scrollTop;
    let changed = false;
    let shiftAbove = 0;
    for (const item of el.querySelectorAll<HTMLElement>('[data-u]')) {
      const u = Number(item.dataset['u']);
      const height = item.offsetHeight;
      if (Math.abs(height - h[u]!) <= 0.5) continue;
      if (o[u]! < top) shiftAbove += height - h[u]!;
      if (!measured.current[u]) {
        measured.current[u] = 1;
        scale.current.measured += height;
        scale.current.estimated += estimates.current[u]!;
      }
      h[u] = height;
      changed = true;
    }
    if (!changed) return;
    const ratio = scale.current.estimated > 0 ? scale.current.measured / scale.current.estimated : 1;
    for (let u = 0; u < n; u++) {
      if (measured.current[u]) continue;
      const next = estimates.current[u]! * ratio;
      if (o[u]! < top) shiftAbove += next - h[u]!;
      h[u] = next;
    }
    relayout();
    if (Math.abs(shiftAbove) > 0.5) el.scrollTop = top + shiftAbove;
    setLayoutVersion((v) => v + 1);
  });

  // Follow playback: light the word, mark the utterance, keep it in view.
  useEffect(() => {
    const setClass = (selector: string, on: boolean, cls: string) =>
      scroller.current?.querySelector(selector)?.classList.toggle(cls, on);
    return playback.subscribe((ms, playing) => {
      const w = wordAt(index, ms);
      const u = w >= 0 ? index.wordUtterance[w]! : utteranceAt(index, ms);
      const cur = current.current;
      if (w !== cur.word) {
        if (cur.word >= 0) setClass(`[data-w="${cur.word}"]`, false, 'now');
        if (w >= 0) setClass(`[data-w="${w}"]`, true, 'now');
        cur.word = w;
      }
      if (u !== cur.utterance) {
        if (cur.utterance >= 0) setClass(`[data-u="${cur.utterance}"]`, false, 'active');
        if (u >= 0) setClass(`[data-u="${u}"]`, true, 'active');
        cur.utterance = u;
        if (playing && performance.now() > followPausedUntil.current) {
          const el = scroller.current;
          const top = offsets.current[u] ?? 0;
          if (
            el &&
            (top < el.scrollTop || top + (heights.current[u] ?? 0) > el.scrollTop + el.clientHeight)
          ) {
            scrollToUtterance(u, true);
          }
          setFollowing(true);
        }
      }
    });
  }, [index, playback]);

  // Mark the moment the transcript first became usable (bench/ui-transcript.ts reads this).
  useEffect(() => {
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark('transcript-interactive');
        try {
          performance.measure('transcript-ready', 'transcript-data-arrived', 'transcript-interactive');
        } catch {
          // The data-arrived mark is missing when the transcript came from elsewhere.
        }
      }),
    );
  }, [index]);

  const onClick = (event: MouseEvent) => {
    const target = event.target as HTMLElement;
    const word = target.closest<HTMLElement>('[data-w]');
    if (word) return onSeek(index.wordStart[Number(word.dataset['w'])]!);
    // The time button (keyboard path) or anywhere else on the utterance: play it from its start.
    const seek = target.closest<HTMLElement>('[data-seek-u]') ?? target.closest<HTMLElement>('[data-u]');
    const u = seek ? Number(seek.dataset['seekU'] ?? seek.dataset['u']) : -1;
    if (u >= 0) onSeek(index.utterances[u]!.start);
  };

  const o = offsets.current;
  const first = Math.max(0, lastAtOrBefore(o, view.top - OVERSCAN_PX));
  const bottom = view.top + view.height + OVERSCAN_PX;
  const items = [];
  for (let i = first; i < n && o[i]! < bottom; i++) {
    const u = index.utterances[i]!;
    const words = [];
    for (let w = u.firstWord; w < u.firstWord + u.wordCount; w++) {
      const flag = hitFlags[w]!;
      const cls = `${current.current.word === w ? 'now ' : ''}${flag === 2 ? 'hit hit-active' : flag === 1 ? 'hit' : ''}`;
      words.push(
        <span key={w} data-w={w} class={cls || undefined}>
          {index.words[w]}
        </span>,
        ' ',
      );
    }
    items.push(
      <li
        key={i}
        data-u={i}
        class={`utt lane-${u.lane}${current.current.utterance === i ? ' active' : ''}`}
        style={{ transform: `translateY(${o[i]}px)` }}
        aria-posinset={i + 1}
        aria-setsize={n}
      >
        <div class="utt-head">
          <span class="who">{u.speakerName}</span>
          <button
            type="button"
            class="ts"
            data-seek-u={i}
            aria-label={`Play from ${clock(u.start)}, ${u.speakerName}`}
          >
            {clock(u.start)}
          </button>
        </div>
        <p class="utt-text">{u.wordCount > 0 ? words : u.text}</p>
      </li>,
    );
  }

  return (
    <div class="transcript-wrap">
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: words are a mouse shortcut; each utterance's time button is the keyboard path */}
      <section
        class="transcript"
        ref={scroller}
        onClick={onClick}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
        tabIndex={0}
        aria-label="Transcript utterances"
      >
        <ol class="utts" style={{ height: `${o[n]}px` }} aria-label={`${n} utterances`}>
          {items}
        </ol>
      </section>
      {!following && (
        <button
          type="button"
          class="follow"
          onClick={() => {
            followPausedUntil.current = 0;
            setFollowing(true);
            scrollToUtterance(utteranceAt(index, playback.ms), true);
          }}
        >
          Follow playback
        </button>
      )}
    </div>
  );
}
