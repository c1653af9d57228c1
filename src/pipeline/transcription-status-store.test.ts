import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../../test/support/databases.js';
import { type Database, migrate } from '../storage/db/index.js';
import { createTranscriptionStatusStore, type TranscriptionStatus } from './transcription-status-store.js';

for (const target of TEST_DATABASES) {
  describe(`transcription status store: ${target.name}`, () => {
    let db: Database;
    let drop: () => Promise<void>;
    let callId: string;
    beforeEach(async () => {
      ({ db, drop } = await target.open());
      await migrate(db);
      const [row] = await db.query<{ id: number }>(
        "INSERT INTO crm_objects (object_type) VALUES ('calls') RETURNING id",
      );
      callId = String(row!.id);
    });
    afterEach(async () => drop());

    it('creates a call once: the first trigger wins, the others see its state', async () => {
      const store = createTranscriptionStatusStore(db);
      const first = await store.ensure(callId, 'call-created', 4);
      const second = await store.ensure(callId, 'recording-ready', 4);
      expect(first).toMatchObject({
        created: true,
        status: { state: 'queued', trigger: 'call-created', generation: 1 },
      });
      expect(second).toMatchObject({ created: false, status: { trigger: 'call-created' } });
    });

    it('walks queued → fetching → transcribing → done, counting attempts and announcing each change', async () => {
      const store = createTranscriptionStatusStore(db);
      const seen: string[] = [];
      store.onChange((s) => seen.push(s.state));
      await store.ensure(callId, 'recording-ready', 4);
      await store.transition(callId, 1, { state: 'fetching', startAttempt: true });
      await store.transition(callId, 1, { state: 'transcribing' });
      await store.saveAnalytics(callId, { durationMillis: 1000, silenceMillis: 0, speakers: [] });
      const done = await store.transition(callId, 1, { state: 'done', transcriptId: '880000001' });
      expect(seen).toEqual(['queued', 'fetching', 'transcribing', 'done']);
      expect(done).toMatchObject({
        state: 'done',
        attempts: 1,
        transcriptId: '880000001',
        analytics: { durationMillis: 1000 },
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
      });
    });

    it('never overwrites done, and ignores a job of an older generation', async () => {
      const store = createTranscriptionStatusStore(db);
      await store.ensure(callId, 'recording-ready', 4);
      await store.transition(callId, 1, {
        state: 'failed',
        reason: 'endpoint answered 404',
        errorCode: 'E_RECORDING_UNAVAILABLE',
      });
      const restarted = (await store.restart(callId, 4)) as TranscriptionStatus;
      expect(restarted).toMatchObject({
        state: 'queued',
        generation: 2,
        attempts: 0,
        reason: null,
        trigger: 'retry',
      });
      // A late duplicate of run 1 cannot touch run 2.
      expect(await store.transition(callId, 1, { state: 'failed', reason: 'late' })).toBeUndefined();
      await store.transition(callId, 2, { state: 'done', transcriptId: '880000002' });
      expect(
        await store.transition(callId, 2, { state: 'failed', reason: 'duplicate delivery' }),
      ).toBeUndefined();
      expect(await store.get(callId)).toMatchObject({
        state: 'done',
        transcriptId: '880000002',
        generation: 2,
      });
      // A run still going cannot be restarted.
      expect(await store.restart(callId, 4)).toMatchObject({ generation: 3 });
      expect(await store.restart(callId, 4)).toBeUndefined();
    });

    it('lists unfinished runs for recovery', async () => {
      const store = createTranscriptionStatusStore(db);
      await store.ensure(callId, 'call-created', 4);
      expect((await store.listUnfinished()).map((s) => s.callId)).toEqual([callId]);
      await store.transition(callId, 1, { state: 'failed', reason: 'x' });
      expect(await store.listUnfinished()).toEqual([]);
    });
  });
}
