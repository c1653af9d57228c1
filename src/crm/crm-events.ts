/**
 * In-process events of the CRM, for the parts of callscribe that act on calls (the transcription
 * pipeline). Emitted after the write has committed, so a listener always finds what it is told
 * about. A listener that throws or rejects is reported to `onListenerError` and never disturbs
 * the request that caused the event.
 */
import type { CrmObject } from './objects/object-rows.js';

export interface CrmEventMap {
  /** A call was created (over HTTP or through a store). */
  'call.created': { call: CrmObject };
  /** A call's properties changed; `changed` names the properties written. */
  'call.updated': { call: CrmObject; changed: string[] };
  /** `POST /crm/v3/extensions/calling/recordings/ready` accepted for this call. */
  'recording.ready': { callId: string };
}

export type CrmEventName = keyof CrmEventMap;
type Listener<E extends CrmEventName> = (payload: CrmEventMap[E]) => void | Promise<void>;

export class CrmEvents {
  readonly #listeners = new Map<CrmEventName, Set<Listener<CrmEventName>>>();
  readonly #onListenerError: (error: unknown, event: CrmEventName) => void;

  constructor(options: { onListenerError?: (error: unknown, event: CrmEventName) => void } = {}) {
    this.#onListenerError = options.onListenerError ?? (() => undefined);
  }

  /** Subscribes; returns a function that unsubscribes. */
  on<E extends CrmEventName>(event: E, listener: Listener<E>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<CrmEventName>);
    return () => this.off(event, listener);
  }

  off<E extends CrmEventName>(event: E, listener: Listener<E>): void {
    this.#listeners.get(event)?.delete(listener as Listener<CrmEventName>);
  }

  /** Calls every listener synchronously; their promises are not awaited. */
  emit<E extends CrmEventName>(event: E, payload: CrmEventMap[E]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        const result = listener(payload);
        if (result instanceof Promise) result.catch((error) => this.#onListenerError(error, event));
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }
}

/** A new event bus; `onListenerError` defaults to ignoring listener failures. */
export function createCrmEvents(options?: ConstructorParameters<typeof CrmEvents>[0]): CrmEvents {
  return new CrmEvents(options);
}
