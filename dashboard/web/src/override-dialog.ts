import {
  type IntersectionDetail,
  MAX_OVERRIDE_MINUTES,
  OverrideCreated,
  type OverrideKind,
  OverrideRefused,
  type OverrideRequest,
} from '../../shared/contract.ts';
import { ApiFailure, api } from './api.ts';
import { h, replace } from './dom.ts';
import { describeOverride, type OverrideFormInput, overrideForm } from './override-form.ts';

/**
 * The override dialog: fill in → review and confirm → send. A refusal by the safety envelope
 * (422) shows its reasons; the operator can change the request and try again. Native <dialog>:
 * focus is trapped, Esc cancels.
 */
export function openOverrideDialog(d: IntersectionDetail, onDone: () => void): void {
  const kind = h(
    'select',
    { id: 'ov-kind', name: 'kind' },
    h('option', { value: 'plan' }, 'Run a stored plan'),
    h('option', { value: 'hold' }, 'Hold a phase'),
    h('option', { value: 'flash' }, 'Flashing yellow'),
  );
  const plan = h(
    'select',
    { id: 'ov-plan', name: 'planId' },
    h('option', { value: '' }, 'Choose…'),
    d.plans.map((p) => h('option', { value: p.id }, `${p.id} (cycle ${p.cycleS} s)`)),
  );
  const phase = h(
    'select',
    { id: 'ov-phase', name: 'phaseId' },
    h('option', { value: '' }, 'Choose…'),
    d.phases.map((p) => h('option', { value: p.id }, `${p.id}: ${p.movements.join(' ')}`)),
  );
  const minutes = h('input', {
    id: 'ov-minutes',
    name: 'minutes',
    type: 'number',
    min: 1,
    max: MAX_OVERRIDE_MINUTES,
    step: 1,
    value: 15,
    inputmode: 'numeric',
  });
  const reason = h('textarea', { id: 'ov-reason', name: 'reason', rows: 3, maxlength: 500 });
  const fieldError: Record<string, HTMLElement> = {};
  const field = (key: keyof OverrideFormInput, label: string, input: HTMLElement) => {
    const err = h('span', { class: 'field-error', id: `ov-${key}-error` });
    fieldError[key] = err;
    input.setAttribute('aria-describedby', err.id);
    return h('div', { class: `field field-${key}` }, h('label', { for: input.id }, label), input, err);
  };
  const planField = field('planId', 'Plan', plan);
  const phaseField = field('phaseId', 'Phase to hold', phase);
  const showFields = () => {
    planField.hidden = kind.value !== 'plan';
    phaseField.hidden = kind.value !== 'hold';
  };
  kind.addEventListener('change', showFields);
  showFields();

  const outcome = h('div', { class: 'outcome', role: 'alert', id: 'ov-outcome' });
  const body = h('div', { class: 'dialog-body' });
  const dialog = h(
    'dialog',
    { class: 'override-dialog', 'aria-labelledby': 'ov-title' },
    h('h2', { id: 'ov-title' }, `Override ${d.name}`),
    body,
  );

  const close = () => {
    dialog.close();
    dialog.remove();
  };
  dialog.addEventListener('close', () => dialog.remove());

  const input = (): OverrideFormInput => ({
    intersectionId: d.id,
    kind: kind.value as OverrideKind,
    planId: plan.value,
    phaseId: phase.value,
    minutes: minutes.value,
    reason: reason.value,
  });

  const showForm = () => {
    const form = h(
      'form',
      { method: 'dialog', id: 'ov-form' },
      field('kind', 'What', kind),
      planField,
      phaseField,
      field('minutes', `Minutes (at most ${MAX_OVERRIDE_MINUTES})`, minutes),
      field('reason', 'Reason (goes to the audit log)', reason),
      outcome,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', onclick: close }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary', id: 'ov-review' }, 'Review…'),
      ),
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      for (const e of Object.values(fieldError)) e.textContent = '';
      const r = overrideForm(input());
      if (!r.ok) {
        for (const [k, msg] of Object.entries(r.errors))
          if (fieldError[k]) (fieldError[k] as HTMLElement).textContent = msg;
        return;
      }
      showConfirm(r.request);
    });
    replace(body, form);
    kind.focus();
  };

  const showConfirm = (request: OverrideRequest) => {
    const send = h('button', { type: 'button', class: 'danger', id: 'ov-confirm' }, 'Send to the signal');
    send.addEventListener('click', () => {
      send.disabled = true;
      api
        .post('/api/overrides', OverrideCreated, request)
        .then(() => {
          close();
          onDone();
        })
        .catch((err: unknown) => {
          replace(outcome, refusal(err));
          showForm();
        });
    });
    replace(
      body,
      h('p', { class: 'confirm-text' }, describeOverride(request, d.name)),
      h('p', { class: 'muted' }, `Reason: ${request.reason}`),
      h(
        'p',
        { class: 'muted' },
        'The safety envelope checks the request; the signal starts it at its next cycle boundary.',
      ),
      h('div', { class: 'actions' }, h('button', { type: 'button', onclick: showForm }, 'Back'), send),
    );
    send.focus();
  };

  document.body.append(dialog);
  showForm();
  dialog.showModal();
}

function refusal(err: unknown): HTMLElement {
  if (err instanceof ApiFailure && err.status === 422) {
    const r = OverrideRefused.safeParse(err.body);
    if (r.success) {
      return h(
        'div',
        { class: 'refused' },
        h('strong', {}, 'Refused by the safety envelope:'),
        h(
          'ul',
          {},
          r.data.reasons.map((x) => h('li', {}, x)),
        ),
      );
    }
  }
  if (err instanceof ApiFailure && err.status === 403) {
    return h('p', { class: 'refused' }, 'Your role may not override signals.');
  }
  return h('p', { class: 'refused' }, err instanceof Error ? err.message : 'The override failed');
}
