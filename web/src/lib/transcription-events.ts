/** Live transcription status: the pipeline's server-sent events, or polling where they fail. */
import { getTranscriptionStatus, storedToken } from './api.ts';
import type { TranscriptionStatus } from './api-types.ts';

/**
 * Follows the pipeline's server-sent events for a call. EventSource cannot send a Bearer header,
 * so the stream is read with fetch; when streaming is unavailable it falls back to polling.
 * Returns a function that stops listening.
 */
export function watchTranscription(
  callId: string,
  onStatus: (status: TranscriptionStatus) => void,
): () => void {
  const controller = new AbortController();
  let stopped = false;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    if (stopped) return;
    try {
      const status = await getTranscriptionStatus(callId);
      if (status) onStatus(status);
      if (status && (status.state === 'done' || status.state === 'failed' || status.state === 'none')) return;
    } catch {
      // Transient: try again on the next tick.
    }
    pollTimer = setTimeout(poll, 2000);
  };
  (async () => {
    const token = storedToken();
    const response = await fetch(`/callscribe/v1/calls/${encodeURIComponent(callId)}/transcription/events`, {
      headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: controller.signal,
    });
    if (
      !response.ok ||
      !response.body ||
      !response.headers.get('content-type')?.includes('text/event-stream')
    ) {
      throw new Error('no event stream');
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data) {
          try {
            onStatus(JSON.parse(data) as TranscriptionStatus);
          } catch {
            // A comment or keep-alive, not a status.
          }
        }
        end = buffer.indexOf('\n\n');
      }
    }
  })().catch(() => {
    if (!stopped) void poll();
  });
  return () => {
    stopped = true;
    controller.abort();
    if (pollTimer) clearTimeout(pollTimer);
  };
}
