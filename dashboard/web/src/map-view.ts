import type { FeatureCollection } from 'geojson';
import {
  addProtocol,
  type GeoJSONSource,
  type MapGeoJSONFeature,
  Map as MapLibreMap,
  NavigationControl,
  Point,
  type PointLike,
  Popup,
  ScaleControl,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { Protocol } from 'pmtiles';
import type { LonLat } from '../../../protocol/network.ts';
import type { BasemapInfo, Viewport } from '../../shared/contract.ts';
import { BASEMAP_SOURCE, basemapStyle } from './basemap-style.ts';
import { buildingState } from './building-state.ts';
import type { LiveChange, LiveStore } from './live-store.ts';
import { type LayerId, layerIds, mapStyle, type SourceId, sourceIds } from './map-style.ts';
import type { NetworkIndex } from './network-index.ts';
import { viewportOf } from './viewport.ts';

// MapLibre 6 is ESM-only and starts its worker from a URL; we serve the worker file ourselves
// (bundled by Vite) so the map works with no internet.
setWorkerUrl(workerUrl);

export type Selection = { kind: 'intersection' | 'building'; id: string };

export interface MapViewEvents {
  onSelect(sel: Selection): void;
  onViewport(v: Viewport): void;
}

/** The MapLibre map: draws the network, paints live state through feature-state, reports clicks. */
export class MapView {
  readonly map: MapLibreMap;
  private readonly loaded: Promise<void>;
  private readonly tooltip: Popup;
  private selected: Selection | null = null;

  constructor(
    container: HTMLElement,
    private readonly network: NetworkIndex,
    private readonly events: MapViewEvents,
  ) {
    const [w, s, e, n] = network.bbox;
    this.map = new MapLibreMap({
      container,
      style: mapStyle(),
      bounds: [w, s, e, n],
      fitBoundsOptions: { padding: 40 },
      attributionControl: false,
      // Keeps the canvas readable for screenshots and pixel checks in tests.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    // Offset above the pointer and never a click target: the label must not swallow the click it labels.
    this.tooltip = new Popup({
      closeButton: false,
      closeOnClick: false,
      className: 'map-tooltip',
      offset: 14,
    });
    this.loaded = new Promise((resolve) => {
      this.map.once('load', () => {
        for (const id of sourceIds) {
          this.map.getSource<GeoJSONSource>(id)?.setData(network.collections[id] as FeatureCollection);
        }
        resolve();
      });
    });
    this.wireEvents();
  }

  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  /** Paints what a snapshot or delta changed. Runs at most ~4 times a second (the server coalesces). */
  apply(change: LiveChange, store: LiveStore): void {
    if (change.snapshot) {
      // A snapshot is the whole truth for the viewport: forget states from before.
      for (const source of sourceIds) this.map.removeFeatureState({ source });
      if (this.selected?.kind === 'intersection') this.setSelected(this.selected, true);
    }
    for (const i of change.intersections) {
      this.state('intersections', i.id, {
        interval: i.interval ?? '',
        mode: i.mode ?? '',
        degraded: i.faults.length > 0 || i.fallbackReason !== null,
        congestion: i.congestion,
      });
    }
    for (const l of change.links) this.state('links', l.id, { hasData: true, congestion: l.congestion });
    for (const c of change.cameras) this.state('cameras', c.id, { silent: c.silent });
    const buildings = new Set(change.meters.map((m) => m.buildingId));
    for (const b of buildings) {
      const st = buildingState(store.metersOf(b));
      this.state('buildings', b, { anomaly: st.anomaly, powerW: st.powerW });
    }
  }

  /**
   * Draws the optional local basemap under all our layers. The pmtiles protocol is registered only
   * when a basemap exists: without one the map makes no request it did not make before.
   */
  async addBasemap(basemap: NonNullable<BasemapInfo['basemap']>): Promise<void> {
    await this.loaded;
    if (this.map.getSource(BASEMAP_SOURCE)) return;
    addProtocol('pmtiles', new Protocol().tile as Parameters<typeof addProtocol>[1]);
    const { source, layers } = basemapStyle(basemap, window.location.origin);
    this.map.addSource(BASEMAP_SOURCE, source);
    for (const layer of layers) this.map.addLayer(layer, layerIds[0]);
  }

  /**
   * Draws the cameras and buildings that arrived after the first render (the index holds them
   * now) and paints the live state the store already has for them: states set before their
   * features existed were skipped.
   */
  async drawExtras(store: LiveStore): Promise<void> {
    await this.loaded;
    for (const id of ['cameras', 'buildings'] as const) {
      this.map.getSource<GeoJSONSource>(id)?.setData(this.network.collections[id] as FeatureCollection);
    }
    this.apply(
      {
        snapshot: false,
        intersections: [],
        links: [],
        cameras: [...store.cameras.values()],
        meters: [...store.meters.values()],
        alerts: false,
        health: false,
      },
      store,
    );
    if (this.selected?.kind === 'building') this.setSelected(this.selected, true);
  }

  setLayerVisible(layer: LayerId, visible: boolean): void {
    this.map.setLayoutProperty(layer, 'visibility', visible ? 'visible' : 'none');
  }

  flyTo(position: LonLat, zoom = 16): void {
    this.map.flyTo({ center: position, zoom: Math.max(this.map.getZoom(), zoom), essential: true });
  }

  select(sel: Selection | null): void {
    if (this.selected) this.setSelected(this.selected, false);
    this.selected = sel;
    if (sel) this.setSelected(sel, true);
  }

  currentViewport(): Viewport {
    const b = this.map.getBounds();
    return viewportOf(b.getWest(), b.getSouth(), b.getEast(), b.getNorth(), this.map.getZoom());
  }

  private setSelected(sel: Selection, on: boolean): void {
    const source: SourceId = sel.kind === 'intersection' ? 'intersections' : 'buildings';
    this.state(source, sel.id, { selected: on });
  }

  private state(source: SourceId, id: string, state: Record<string, unknown>): void {
    const f = this.network.get(source, id);
    // Items outside the drawn network (a device the map does not know) are skipped, not fatal.
    if (f) this.map.setFeatureState({ source, id: f.num }, state);
  }

  private pick(point: PointLike): MapGeoJSONFeature | undefined {
    const p = Point.convert(point);
    // A small box around the pointer: a 6 px dot is hard to hit on a wall screen.
    const box: [PointLike, PointLike] = [
      [p.x - 6, p.y - 6],
      [p.x + 6, p.y + 6],
    ];
    const layers = ['intersections', 'buildings', 'cameras'].filter(
      (l) => this.map.getLayoutProperty(l, 'visibility') !== 'none',
    );
    return this.map.queryRenderedFeatures(box, { layers })[0];
  }

  private wireEvents(): void {
    this.map.on('click', (ev) => {
      const f = this.pick(ev.point);
      const id = f?.properties.id;
      if (typeof id !== 'string') return;
      if (f?.layer.id === 'intersections') this.events.onSelect({ kind: 'intersection', id });
      else if (f?.layer.id === 'buildings') this.events.onSelect({ kind: 'building', id });
      else if (f?.layer.id === 'cameras' && typeof f.properties.intersectionId === 'string') {
        this.events.onSelect({ kind: 'intersection', id: f.properties.intersectionId });
      }
    });
    this.map.on('mousemove', (ev) => {
      const f = this.pick(ev.point);
      this.map.getCanvas().style.cursor = f ? 'pointer' : '';
      if (!f || typeof f.properties.id !== 'string') {
        this.tooltip.remove();
        return;
      }
      const kind = f.layer.id as SourceId;
      const label = this.network.get(kind, f.properties.id)?.name ?? f.properties.id;
      // Labels are HTML (setText: no glyphs needed, no markup injected).
      this.tooltip.setLngLat(ev.lngLat).setText(label).addTo(this.map);
    });
    this.map.on('mouseout', () => this.tooltip.remove());
    this.map.on('moveend', () => this.events.onViewport(this.currentViewport()));
  }
}
