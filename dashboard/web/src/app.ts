import { z } from 'zod';
import { type Alert, BasemapInfo, type Me } from '../../shared/contract.ts';
import { AlertsList } from './alerts-list.ts';
import { api } from './api.ts';
import { openAuditDialog } from './audit-dialog.ts';
import { BuildingPanel } from './building-panel.ts';
import { h, replace } from './dom.ts';
import { freshness } from './freshness.ts';
import { HealthStrip } from './health-strip.ts';
import { IntersectionPanel } from './intersection-panel.ts';
import { legend } from './legend.ts';
import { LiveClient } from './live-client.ts';
import { LiveStore } from './live-store.ts';
import { MapView, type Selection } from './map-view.ts';
import { NetworkIndex } from './network-index.ts';
import { NetworkShape } from './network-shape.ts';
import { applyPrefs, loadPrefs } from './prefs.ts';

/** The lowest zoom that draws cameras or buildings (map-style.ts: buildings from 12). */
const EXTRAS_MIN_ZOOM = 12;

/** What the e2e tests and screenshots read from the page (the map is a canvas). */
export interface DashboardHandle {
  map: MapView['map'];
  store: LiveStore;
  network: NetworkIndex;
  select(sel: Selection | null): void;
}

declare global {
  interface Window {
    cityDashboard?: DashboardHandle;
  }
}

/** The signed-in operations view: header, map with legend, alerts, and the side panel. */
export async function renderApp(root: HTMLElement, me: Me, onLogout: () => void): Promise<void> {
  const store = new LiveStore();
  const health = new HealthStrip();
  const banner = h('div', { class: 'stale-banner', role: 'alert', id: 'stale-banner', hidden: true });
  const mapEl = h('div', { class: 'map', id: 'map', 'aria-label': 'City map' });
  const side = h('div', { class: 'side' });
  const prefs = loadPrefs();
  applyPrefs(prefs);

  const prefToggle = (key: 'largeType' | 'highContrast', label: string) => {
    const box = h('input', { type: 'checkbox', id: `pref-${key}`, checked: prefs[key] });
    box.addEventListener('change', () => {
      prefs[key] = box.checked;
      applyPrefs(prefs);
      map.map.resize();
    });
    return h('label', { for: `pref-${key}`, class: 'pref' }, box, ' ', label);
  };
  const search = h('input', {
    id: 'goto',
    list: 'goto-list',
    placeholder: 'Go to intersection…',
    'aria-label': 'Go to intersection',
  });
  const searchList = h('datalist', { id: 'goto-list' });
  const logout = h('button', { type: 'button', id: 'logout' }, 'Sign out');
  const audit = h('button', { type: 'button', id: 'audit-open', onclick: openAuditDialog }, 'Audit log');
  logout.addEventListener('click', () => {
    api
      .post('/api/logout', z.unknown(), {})
      .finally(() => {
        live.close();
        onLogout();
      })
      .catch(() => {});
  });

  replace(
    root,
    h(
      'div',
      { class: 'shell' },
      h(
        'header',
        { class: 'topbar' },
        h('h1', {}, 'City operations'),
        health.el,
        h(
          'div',
          { class: 'topbar-tools' },
          search,
          searchList,
          prefToggle('largeType', 'Large type'),
          prefToggle('highContrast', 'High contrast'),
          audit,
          h('span', { class: 'who', id: 'who' }, `${me.name} · ${me.role}`),
          logout,
        ),
      ),
      banner,
      h('main', { class: 'main' }, mapEl, side),
    ),
  );

  // Links and intersections only: what the whole-city view draws. Our own server's typed answer
  // gets a cheap shape check, not a full validation (see network-shape.ts).
  const network = new NetworkIndex(await api.get('/api/network', NetworkShape));

  let panel: IntersectionPanel | BuildingPanel | null = null;
  const alerts = new AlertsList((a) => void pickAlert(a));
  const legendEl = legend((layer, visible) => map.setLayerVisible(layer, visible));
  const showSidebar = () => replace(side, alerts.el, legendEl);
  showSidebar();

  const close = () => {
    panel?.destroy();
    panel = null;
    map.select(null);
    showSidebar();
    mapEl.querySelector<HTMLElement>('canvas')?.focus();
  };
  const select = (sel: Selection | null) => {
    panel?.destroy();
    panel = null;
    map.select(sel);
    if (!sel) return close();
    panel =
      sel.kind === 'intersection'
        ? new IntersectionPanel(sel.id, me, close)
        : new BuildingPanel(sel.id, () => store.alerts.values(), close);
    if (sel.kind === 'intersection') {
      const item = store.intersections.get(sel.id);
      if (item) panel instanceof IntersectionPanel && panel.live(item);
    }
    replace(side, panel.el);
  };

  // Cameras and buildings are drawn from zoom 12-13 on: fetched after the first draw, not before it.
  let extras: Promise<void> | null = null;
  const loadExtras = (): Promise<void> => {
    extras ??= api
      .get('/api/network/extras', NetworkShape)
      .then((geo) => {
        network.add(geo);
        return map.drawExtras(store);
      })
      .catch((err: unknown) => {
        extras = null; // the next zoom or alert tries again
        console.warn('cameras and buildings unavailable', err);
      });
    return extras;
  };

  const pickAlert = async (a: Alert) => {
    map.flyTo(a.position);
    await loadExtras();
    const camera = network.get('cameras', a.entityId);
    const meter = store.meters.get(a.entityId);
    if (network.get('intersections', a.entityId)) select({ kind: 'intersection', id: a.entityId });
    else if (camera?.parent) select({ kind: 'intersection', id: camera.parent });
    else if (network.get('buildings', a.entityId)) select({ kind: 'building', id: a.entityId });
    else if (meter) select({ kind: 'building', id: meter.buildingId });
  };

  search.addEventListener('change', () => {
    const q = search.value.trim().toLowerCase();
    const f = network
      .all('intersections')
      .find((x) => x.name.toLowerCase() === q || x.id.toLowerCase() === q);
    if (!f) return;
    map.flyTo(f.position);
    select({ kind: 'intersection', id: f.id });
    search.value = '';
  });

  document.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || document.querySelector('dialog[open]')) return;
    if (panel) close();
  });

  const map = new MapView(mapEl, network, {
    onSelect: select,
    onViewport: (v) => live.setViewport(v),
  });

  let connection: 'connected' | 'disconnected' | 'unauthorized' = 'disconnected';
  const renderHealth = () => {
    const f = freshness({
      connected: connection === 'connected',
      lastEventAtMs: live.lastEventAtMs,
      health: store.health,
      nowMs: Date.now(),
    });
    health.render(f, store.health);
    banner.hidden = !f.stale;
    banner.textContent = f.reason ? `Stale data — ${f.reason}` : '';
    document.documentElement.classList.toggle('stale', f.stale);
  };

  const live = new LiveClient(store, {
    onChange: (change) => {
      map.apply(change, store);
      if (change.alerts) alerts.render(store.alerts.values());
      if (panel instanceof IntersectionPanel) {
        const item = change.intersections.find((i) => i.id === panel?.id);
        if (item) panel.live(item);
      }
      renderHealth();
    },
    onConnection: (state) => {
      connection = state;
      if (state === 'unauthorized') {
        live.close();
        onLogout();
        return;
      }
      renderHealth();
    },
  });
  await map.whenLoaded();
  live.setViewport(map.currentViewport());
  map.map.once('idle', () => void loadExtras());
  map.map.on('zoomend', () => {
    if (map.map.getZoom() >= EXTRAS_MIN_ZOOM) void loadExtras();
  });
  // The go-to list (one option per intersection) is not needed for the first frame.
  for (const f of network.all('intersections')) searchList.append(h('option', { value: f.name }, f.id));
  // The basemap is decoration: the live map works without it, so a failure is only logged.
  api
    .get('/api/basemap', BasemapInfo)
    .then((info) => (info.basemap ? map.addBasemap(info.basemap) : undefined))
    .catch((err: unknown) => console.warn('basemap unavailable', err));
  renderHealth();
  setInterval(renderHealth, 1000);
  alerts.render([]);

  window.cityDashboard = { map: map.map, store, network, select };
}
