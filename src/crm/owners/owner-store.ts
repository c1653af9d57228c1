/** Owners (HubSpot users) and their seats, in the database. Seats decide who gets transcripts. */
import { AppError, invalid, notFound } from '../../core/errors.js';
import type { Queryable } from '../../storage/db/index.js';

export const SEATS = ['sales', 'service', 'core', 'none'] as const;
export type Seat = (typeof SEATS)[number];

/** HubSpot's `PublicOwner`, plus callscribe's `seat` (HubSpot's SDK ignores the extra field). */
export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  userIdIncludingInactive: number;
  type: 'PERSON';
  teams: never[];
  seat: Seat;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

interface OwnerRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  user_id: number;
  seat: Seat;
  archived: boolean;
  created_at: Date;
  updated_at: Date;
}

function toOwner(row: OwnerRow): Owner {
  return {
    id: String(row.id),
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    userId: row.user_id,
    userIdIncludingInactive: row.user_id,
    type: 'PERSON',
    teams: [],
    seat: row.seat,
    archived: row.archived,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A paid seat (Sales Hub or Service Hub) is what HubSpot requires for call transcription. */
export function isPaidSeat(seat: Seat): boolean {
  return seat === 'sales' || seat === 'service';
}

export function parseSeat(raw: unknown): Seat {
  if (typeof raw === 'string' && (SEATS as readonly string[]).includes(raw)) return raw as Seat;
  throw invalid(`seat must be one of ${SEATS.join(', ')}, not "${String(raw)}".`, 'seat');
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NewOwner {
  email: string;
  seat: Seat;
  firstName?: string;
  lastName?: string;
}

export function createOwnerStore(db: Queryable) {
  return {
    /** Adds an owner; a second active owner with the same email is a 409. */
    async add(input: NewOwner): Promise<Owner> {
      if (!EMAIL.test(input.email)) throw invalid(`"${input.email}" is not an email address.`, 'email');
      const [local = ''] = input.email.split('@');
      try {
        const rows = await db.query<OwnerRow>(
          `INSERT INTO owners (email, first_name, last_name, seat) VALUES ($1, $2, $3, $4) RETURNING *`,
          [input.email, input.firstName ?? local, input.lastName ?? '', input.seat],
        );
        return toOwner(rows[0]!);
      } catch (error) {
        if ((error as { code?: string }).code === '23505') {
          throw new AppError('E_CONFLICT', `An owner with email ${input.email} already exists.`, {
            cause: error,
          });
        }
        throw error;
      }
    },

    /** Sets the seat of an owner, addressed by id or email. */
    async setSeat(idOrEmail: string, seat: Seat): Promise<Owner> {
      const rows = await db.query<OwnerRow>(
        `UPDATE owners SET seat = $2, updated_at = now()
         WHERE NOT archived AND (id::text = $1 OR lower(email) = lower($1)) RETURNING *`,
        [idOrEmail, seat],
      );
      if (!rows[0]) throw notFound('Owner', idOrEmail);
      return toOwner(rows[0]);
    },

    async get(
      id: string,
      options: { idProperty?: 'id' | 'userId'; archived?: boolean } = {},
    ): Promise<Owner> {
      const column = options.idProperty === 'userId' ? 'user_id' : 'id';
      const rows = await db.query<OwnerRow>(
        `SELECT * FROM owners WHERE ${column}::text = $1 AND archived = $2`,
        [id, options.archived ?? false],
      );
      if (!rows[0]) throw notFound('Owner', id);
      return toOwner(rows[0]);
    },

    /** Lists owners by ascending id; `after` is the last id of the previous page. */
    async list(options: { email?: string; after?: string; limit?: number; archived?: boolean } = {}) {
      const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
      const after = Number(options.after ?? 0);
      if (!Number.isFinite(after)) throw invalid(`after must be a cursor from a previous page.`, 'after');
      const rows = await db.query<OwnerRow>(
        `SELECT * FROM owners WHERE archived = $1 AND id > $2 AND ($3::text IS NULL OR lower(email) = lower($3))
         ORDER BY id LIMIT $4`,
        [options.archived ?? false, after, options.email ?? null, limit + 1],
      );
      const page = rows.slice(0, limit).map(toOwner);
      const next = rows.length > limit ? page[page.length - 1]?.id : undefined;
      return { results: page, ...(next ? { paging: { next: { after: next } } } : {}) };
    },
  };
}

export type OwnerStore = ReturnType<typeof createOwnerStore>;
