/** Records of one type: a searchable list (HubSpot search with `query`), linking to record pages. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type CrmObject, listRecords, type ObjectType } from '../lib/api.ts';
import { recordDetail, recordName, TYPE_LABEL } from '../lib/format.ts';
import { recordHref } from '../lib/router.ts';

export function RecordsPage({ type }: { type: ObjectType }) {
  const label = TYPE_LABEL[type];
  const [query, setQuery] = useState('');
  const [records, setRecords] = useState<CrmObject[] | null>(null);
  const [after, setAfter] = useState<string | undefined>();
  const [error, setError] = useState('');
  const generation = useRef(0);

  const load = async (q: string, from?: string) => {
    const mine = ++generation.current;
    try {
      const page = await listRecords(type, q, from);
      if (mine !== generation.current) return;
      setRecords((prev) => (from && prev ? [...prev, ...page.results] : page.results));
      setAfter(page.paging?.next?.after);
      setError('');
    } catch (e) {
      if (mine !== generation.current) return;
      setError((e as Error).message);
      setRecords(null);
      setAfter(undefined);
    }
  };

  useEffect(() => {
    document.title = `${label.many} · callscribe`;
    const timer = setTimeout(() => void load(query), query ? 250 : 0);
    return () => clearTimeout(timer);
  }, [query]);

  return (
    <section>
      <h1>{label.many}</h1>
      <search>
        <form class="search" onSubmit={(e) => e.preventDefault()}>
          <label for="record-search">Search {label.many.toLowerCase()}</label>
          <input
            id="record-search"
            type="search"
            data-shortcut="search"
            placeholder="Name, email, phone… (press / to search)"
            value={query}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
        </form>
      </search>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {records === null && !error && <p class="muted">Loading…</p>}
      {records && records.length === 0 && (
        <p class="muted">
          {query ? `No ${label.many.toLowerCase()} match “${query}”.` : `No ${label.many.toLowerCase()} yet.`}
        </p>
      )}
      {records && records.length > 0 && (
        <ul class="records" aria-label={label.many}>
          {records.map((r) => (
            <li key={r.id}>
              <a class="record-link" href={recordHref(type, r.id)}>
                <span class="record-name">{recordName(type, r)}</span>
                <span class="muted">{recordDetail(type, r)}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {after && (
        <button type="button" onClick={() => void load(query, after)}>
          Load more
        </button>
      )}
    </section>
  );
}
