/** Display helpers: clock times, durations, dates, names. */
import type { CrmObject, ObjectType, Owner } from './api.ts';

/** 3725400 → "1:02:05"; 65000 → "1:05". */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A duration in words for screen readers and labels: "4 min 5 s". */
export function spokenDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  if (m === 0) return `${s} s`;
  return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

export function dateTime(epochMs: number): string {
  if (!epochMs) return '—';
  return new Date(epochMs).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function ownerName(owner: Owner | undefined, id?: string | null): string {
  if (!owner) return id ? `Owner ${id}` : 'No owner';
  const name = [owner.firstName, owner.lastName].filter(Boolean).join(' ');
  return name || owner.email || `Owner ${owner.id}`;
}

export function recordName(type: ObjectType, record: CrmObject): string {
  const p = record.properties;
  const pick = (...keys: string[]) => keys.map((k) => p[k]).find((v) => v?.trim());
  switch (type) {
    case 'contacts':
      return (
        [p['firstname'], p['lastname']].filter(Boolean).join(' ') ||
        pick('email', 'phone') ||
        `Contact ${record.id}`
      );
    case 'companies':
      return pick('name', 'domain') ?? `Company ${record.id}`;
    case 'deals':
      return pick('dealname') ?? `Deal ${record.id}`;
    case 'tickets':
      return pick('subject') ?? `Ticket ${record.id}`;
  }
}

export function recordDetail(type: ObjectType, record: CrmObject): string {
  const p = record.properties;
  const parts =
    type === 'contacts'
      ? [p['email'], p['phone'], p['company']]
      : type === 'companies'
        ? [p['domain'], p['phone'], p['city']]
        : type === 'deals'
          ? [p['amount'] ? `amount ${p['amount']}` : '', p['dealstage']]
          : [p['hs_ticket_priority'], p['content']];
  return parts.filter(Boolean).join(' · ');
}

export const TYPE_LABEL: Record<ObjectType, { one: string; many: string }> = {
  contacts: { one: 'Contact', many: 'Contacts' },
  companies: { one: 'Company', many: 'Companies' },
  deals: { one: 'Deal', many: 'Deals' },
  tickets: { one: 'Ticket', many: 'Tickets' },
};

export function titleCase(value: string | null | undefined): string {
  if (!value) return '—';
  return value
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
