import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import { Me } from '../../shared/contract.ts';
import { ApiFailure, api, setUnauthorizedHandler } from './api.ts';
import { renderApp } from './app.ts';
import { h, replace } from './dom.ts';
import { renderLogin } from './login-view.ts';
import { applyPrefs, loadPrefs } from './prefs.ts';

const root = document.getElementById('app') as HTMLElement;
applyPrefs(loadPrefs());

// Signing out (or a session that expired) starts over from a clean page: no timers, sockets
// or panels of the old session survive.
const restart = () => window.location.assign('/');

/** Only a signed-in view reacts to 401 by starting over (the first /api/me is allowed to fail). */
function enter(me: Me): Promise<void> {
  setUnauthorizedHandler(restart);
  return renderApp(root, me, restart);
}

function start(): void {
  api
    .get('/api/me', Me)
    .then(enter)
    .catch((err: unknown) => {
      if (err instanceof ApiFailure && err.status === 401) {
        renderLogin(root, (me) => {
          enter(me).catch(showFatal);
        });
        return;
      }
      showFatal(err);
    });
}

function showFatal(err: unknown): void {
  replace(
    root,
    h(
      'main',
      { class: 'login-page' },
      h(
        'div',
        { class: 'login-card', role: 'alert' },
        h('h1', {}, 'City operations'),
        h('p', {}, `Cannot start: ${err instanceof Error ? err.message : String(err)}`),
        h('button', { type: 'button', class: 'primary', onclick: () => window.location.reload() }, 'Retry'),
      ),
    ),
  );
}

start();
