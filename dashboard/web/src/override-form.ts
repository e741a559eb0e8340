import { MAX_OVERRIDE_MINUTES, type OverrideKind, type OverrideRequest } from '../../shared/contract.ts';

/** The override dialog's fields as the user typed them. */
export interface OverrideFormInput {
  intersectionId: string;
  kind: OverrideKind;
  planId: string;
  phaseId: string;
  minutes: string;
  reason: string;
}

export type OverrideFormResult =
  | { ok: true; request: OverrideRequest }
  | { ok: false; errors: Partial<Record<keyof OverrideFormInput, string>> };

/**
 * Checks the dialog before anything is sent, with messages an operator can act on. The server
 * checks again (and the safety envelope has the last word); this only saves a round trip.
 */
export function overrideForm(input: OverrideFormInput): OverrideFormResult {
  const errors: Partial<Record<keyof OverrideFormInput, string>> = {};
  const minutes = Number(input.minutes);
  if (input.minutes.trim() === '' || !Number.isFinite(minutes) || minutes <= 0) {
    errors.minutes = 'Enter a duration in minutes';
  } else if (minutes > MAX_OVERRIDE_MINUTES) {
    errors.minutes = `At most ${MAX_OVERRIDE_MINUTES} minutes`;
  }
  const reason = input.reason.trim();
  if (reason.length < 3) errors.reason = 'Say why (at least 3 characters)';
  if (reason.length > 500) errors.reason = 'At most 500 characters';
  if (input.kind === 'plan' && input.planId === '') errors.planId = 'Choose a plan';
  if (input.kind === 'hold' && input.phaseId === '') errors.phaseId = 'Choose the phase to hold';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const request: OverrideRequest = {
    intersectionId: input.intersectionId,
    kind: input.kind,
    minutes,
    reason,
  };
  if (input.kind === 'plan') request.planId = input.planId;
  if (input.kind === 'hold') request.phaseId = input.phaseId;
  return { ok: true, request };
}

/** One line that says what the override will do, shown on the confirm step. */
export function describeOverride(r: OverrideRequest, intersectionName: string): string {
  const what =
    r.kind === 'flash'
      ? 'flash yellow'
      : r.kind === 'hold'
        ? `hold phase ${r.phaseId ?? '?'}`
        : `run plan ${r.planId ?? '?'}`;
  return `${intersectionName}: ${what} for ${r.minutes} min`;
}
