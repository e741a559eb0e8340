import { z } from 'zod';
import { type Me, Me as MeSchema } from '../../shared/contract.ts';
import { ApiFailure, api } from './api.ts';
import { h, replace } from './dom.ts';

/** The login page: a plain form; on success it hands the signed-in operator to `onLogin`. */
export function renderLogin(root: HTMLElement, onLogin: (me: Me) => void): void {
  const name = h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'login-card', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'City operations'),
    h('p', { class: 'muted' }, 'Traffic and utilities control room'),
    h('label', { for: 'login-name' }, 'Operator name'),
    name,
    h('label', { for: 'login-password' }, 'Password'),
    password,
    error,
    submit,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    api
      .post('/api/login', z.unknown(), { name: name.value, password: password.value })
      // The session cookie is http-only: ask the server who we are now.
      .then(() => api.get('/api/me', MeSchema))
      .then(onLogin)
      .catch((err: unknown) => {
        error.textContent =
          err instanceof ApiFailure && err.status === 401
            ? 'Wrong name or password'
            : err instanceof ApiFailure && err.status === 429
              ? 'Too many attempts: wait a minute and try again'
              : 'Cannot reach the server';
        password.value = '';
        password.focus();
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  replace(root, h('main', { class: 'login-page' }, form));
  name.focus();
}
