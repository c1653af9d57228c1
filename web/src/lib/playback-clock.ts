/**
 * One animation-frame loop per player that tells subscribers the playback position. Subscribers
 * update the DOM themselves (playhead, highlighted word, time label), so playback never re-renders
 * the component tree.
 */
export type ClockListener = (ms: number, playing: boolean) => void;

export class PlaybackClock {
  private listeners = new Set<ClockListener>();
  private frame = 0;
  private media: HTMLMediaElement | null = null;

  attach(media: HTMLMediaElement | null): void {
    if (this.media === media) return;
    this.detach();
    this.media = media;
    if (!media) return;
    for (const type of ['play', 'pause', 'seeked', 'seeking', 'loadedmetadata', 'timeupdate', 'ended']) {
      media.addEventListener(type, this.onEvent);
    }
    this.emit();
  }

  detach(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.media) return;
    for (const type of ['play', 'pause', 'seeked', 'seeking', 'loadedmetadata', 'timeupdate', 'ended']) {
      this.media.removeEventListener(type, this.onEvent);
    }
    this.media = null;
  }

  subscribe(listener: ClockListener): () => void {
    this.listeners.add(listener);
    if (this.media) listener(this.media.currentTime * 1000, !this.media.paused);
    return () => this.listeners.delete(listener);
  }

  get ms(): number {
    return (this.media?.currentTime ?? 0) * 1000;
  }

  private emit = (): void => {
    const media = this.media;
    if (!media) return;
    const playing = !media.paused && !media.ended;
    const ms = media.currentTime * 1000;
    for (const listener of this.listeners) listener(ms, playing);
  };

  private tick = (): void => {
    this.emit();
    this.frame = this.media && !this.media.paused ? requestAnimationFrame(this.tick) : 0;
  };

  private onEvent = (): void => {
    this.emit();
    if (this.media && !this.media.paused && !this.frame) this.frame = requestAnimationFrame(this.tick);
  };
}
