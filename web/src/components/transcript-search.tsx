/** Search inside the transcript: hits are marked in the text and on the talk-track. */
import { useMemo, useState } from 'preact/hooks';
import { type SearchHit, searchTranscript, type TranscriptIndex } from '../lib/transcript-index.ts';

export interface TranscriptSearchState {
  query: string;
  setQuery(q: string): void;
  hits: SearchHit[];
  active: number;
  /** Counts steps (Enter / next / previous): each step makes playback jump to the active hit. */
  jump: number;
  step(delta: number): void;
}

export function useTranscriptSearch(index: TranscriptIndex | null): TranscriptSearchState {
  const [query, setQueryRaw] = useState('');
  const [active, setActive] = useState(-1);
  const [jump, setJump] = useState(0);
  const hits = useMemo(() => (index ? searchTranscript(index, query) : []), [index, query]);
  return {
    query,
    hits,
    active,
    jump,
    setQuery(q) {
      setQueryRaw(q);
      setActive(-1);
    },
    step(delta) {
      if (hits.length === 0) return;
      setActive((a) => (a < 0 ? (delta > 0 ? 0 : hits.length - 1) : (a + delta + hits.length) % hits.length));
      setJump((j) => j + 1);
    },
  };
}

export function TranscriptSearch({ search }: { search: TranscriptSearchState }) {
  const { query, hits, active } = search;
  return (
    <search>
      <form
        class="search transcript-search"
        onSubmit={(e) => {
          e.preventDefault();
          search.step(1);
        }}
      >
        <label for="transcript-search">Search transcript</label>
        <div class="search-row">
          <input
            id="transcript-search"
            type="search"
            data-shortcut="search"
            placeholder="Find words (press /)"
            value={query}
            onInput={(e) => search.setQuery((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && e.shiftKey) {
                e.preventDefault();
                search.step(-1);
              } else if (e.key === 'Escape') {
                search.setQuery('');
              }
            }}
          />
          <button
            type="button"
            onClick={() => search.step(-1)}
            disabled={hits.length === 0}
            aria-label="Previous match"
          >
            ↑
          </button>
          <button
            type="button"
            onClick={() => search.step(1)}
            disabled={hits.length === 0}
            aria-label="Next match"
          >
            ↓
          </button>
        </div>
        <p class="search-count" role="status" aria-live="polite">
          {query.trim()
            ? hits.length === 0
              ? 'No matches'
              : active < 0
                ? `${hits.length} ${hits.length === 1 ? 'match' : 'matches'}`
                : `${active + 1} of ${hits.length} matches`
            : ''}
        </p>
      </form>
    </search>
  );
}
