import { AuditList } from '../../shared/contract.ts';
import { api, query } from './api.ts';
import { h, replace } from './dom.ts';

/** The audit trail (logins, overrides, refusals), newest first, in a modal dialog. */
export function openAuditDialog(): void {
  const body = h('tbody');
  const status = h('p', { class: 'muted' }, 'Loading…');
  const dialog = h(
    'dialog',
    { class: 'audit-dialog', 'aria-labelledby': 'audit-title', id: 'audit-dialog' },
    h(
      'header',
      { class: 'panel-head' },
      h('h2', { id: 'audit-title' }, 'Audit log'),
      h(
        'button',
        { type: 'button', class: 'close', 'aria-label': 'Close (Esc)', onclick: () => dialog.close() },
        '×',
      ),
    ),
    status,
    h(
      'div',
      { class: 'audit-scroll' },
      h(
        'table',
        { class: 'audit' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Time', 'User', 'Action', 'Target', 'Outcome', 'Reason'].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        body,
      ),
    ),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  api
    .get(`/api/audit?${query({ limit: 200 })}`, AuditList)
    .then(({ entries }) => {
      status.hidden = entries.length > 0;
      status.textContent = 'No entries';
      replace(
        body,
        [...entries]
          .sort((a, b) => b.ts - a.ts)
          .map((e) =>
            h(
              'tr',
              { class: `outcome-${e.outcome}`, 'data-action': e.action },
              h('td', {}, new Date(e.ts).toLocaleString()),
              h('td', {}, e.user),
              h('td', {}, e.action),
              h('td', {}, e.target ?? ''),
              h('td', {}, e.outcome),
              h('td', {}, e.reason ?? ''),
            ),
          ),
      );
    })
    .catch((err: unknown) => {
      status.textContent = err instanceof Error ? err.message : 'Cannot load the audit log';
    });
}
