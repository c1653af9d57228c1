/** The recording/transcript state of a call as a badge with its plain-language reason. */
import { type CallState, NO_SEAT } from '../lib/state.ts';

export function StateBadge({ state }: { state: CallState }) {
  return (
    <span class={`state state-${state.kind}`} data-state={state.kind}>
      {state.busy && <span class="spinner" aria-hidden="true" />}
      <span class="state-text">
        <strong>{state.kind === 'no-seat' ? NO_SEAT : state.label}</strong>
        {state.reason && state.kind !== 'no-seat' ? `: ${state.reason}` : ''}
      </span>
    </span>
  );
}
