/** Actions on a call: transcript downloads, a link to this moment, and re-running transcription. */
import { useState } from 'preact/hooks';
import { toSrt, toText, toVtt } from '../lib/captions.ts';
import type { TranscriptIndex } from '../lib/transcript-index.ts';

interface Props {
  callId: string;
  index: TranscriptIndex | null;
  currentMillis(): number;
  canRetry: boolean;
  onRetry(): Promise<void>;
}

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function CallActions({ callId, index, currentMillis, canRetry, onRetry }: Props) {
  const [notice, setNotice] = useState('');
  const [link, setLink] = useState('');
  const [busy, setBusy] = useState(false);

  const copyLink = async () => {
    const url = `${location.origin}/ui/calls/${encodeURIComponent(callId)}#t=${(currentMillis() / 1000).toFixed(1)}`;
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      setNotice('Link to this moment copied.');
    } catch {
      setNotice('Copy the link below.');
    }
  };

  return (
    <div class="actions">
      {index && (
        <fieldset class="downloads">
          <legend>Download transcript</legend>
          <button type="button" onClick={() => download(`call-${callId}.vtt`, 'text/vtt', toVtt(index))}>
            VTT
          </button>
          <button
            type="button"
            onClick={() => download(`call-${callId}.srt`, 'application/x-subrip', toSrt(index))}
          >
            SRT
          </button>
          <button type="button" onClick={() => download(`call-${callId}.txt`, 'text/plain', toText(index))}>
            Text
          </button>
        </fieldset>
      )}
      <button type="button" onClick={() => void copyLink()}>
        Copy link to this moment
      </button>
      {canRetry && (
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onRetry();
              setNotice('Transcription queued again.');
            } catch (e) {
              setNotice(`Could not re-run: ${(e as Error).message}`);
            } finally {
              setBusy(false);
            }
          }}
        >
          Re-run transcription
        </button>
      )}
      <p class="notice" role="status" aria-live="polite">
        {notice}
      </p>
      {link && (
        <input
          class="moment-link"
          readOnly
          value={link}
          aria-label="Link to this moment"
          onFocus={(e) => (e.target as HTMLInputElement).select()}
        />
      )}
    </div>
  );
}
