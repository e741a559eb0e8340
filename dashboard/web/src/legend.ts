import { h } from './dom.ts';
import { colors, type LayerId } from './map-style.ts';

/** Swatch colours are set through the CSSOM (element.style), which the CSP allows. */
function swatch(color: string, shape: 'dot' | 'line' | 'ring' = 'dot'): HTMLElement {
  const el = h('span', { class: `swatch ${shape}`, 'aria-hidden': 'true' });
  if (shape === 'ring') el.style.borderColor = color;
  else el.style.background = color;
  return el;
}

/** Map legend with one checkbox per layer. */
export function legend(onToggle: (layer: LayerId, visible: boolean) => void): HTMLElement {
  const toggle = (layer: LayerId, label: string) => {
    const box = h('input', { type: 'checkbox', id: `layer-${layer}`, checked: true });
    box.addEventListener('change', () => onToggle(layer, box.checked));
    return h('label', { class: 'layer-toggle', for: `layer-${layer}` }, box, ' ', label);
  };
  const row = (sw: HTMLElement, text: string) => h('li', {}, sw, text);
  return h(
    'section',
    { class: 'legend', 'aria-label': 'Legend and layers' },
    h(
      'div',
      { class: 'legend-group' },
      toggle('links', 'Roads'),
      h(
        'ul',
        {},
        row(swatch(colors.congestion[0][1], 'line'), 'free flow'),
        row(swatch(colors.congestion[1][1], 'line'), 'busy'),
        row(swatch(colors.congestion[3][1], 'line'), 'congested'),
        row(swatch(colors.noData, 'line'), 'no data'),
      ),
    ),
    h(
      'div',
      { class: 'legend-group' },
      toggle('intersections', 'Signals'),
      h(
        'ul',
        {},
        row(swatch(colors.interval.green), 'green'),
        row(swatch(colors.interval.yellow), 'yellow'),
        row(swatch(colors.interval.allRed), 'all-red'),
        row(swatch(colors.mode.adaptive, 'ring'), 'adaptive'),
        row(swatch(colors.mode.fixed, 'ring'), 'fixed'),
        row(swatch(colors.mode.manual, 'ring'), 'manual'),
        row(swatch(colors.mode.flash, 'ring'), 'flash'),
        h('li', { class: 'muted' }, 'thick ring: fault or fallback'),
      ),
    ),
    h(
      'div',
      { class: 'legend-group' },
      toggle('cameras', 'Cameras'),
      h('ul', {}, row(swatch(colors.camera.ok), 'reporting'), row(swatch(colors.camera.silent), 'silent')),
    ),
    h(
      'div',
      { class: 'legend-group' },
      toggle('buildings', 'Buildings'),
      h(
        'ul',
        {},
        row(swatch(colors.building.none), 'normal (size: power)'),
        row(swatch(colors.building.leak), 'leak'),
        row(swatch(colors.building.stuck), 'stuck meter'),
        row(swatch(colors.building.outage), 'outage'),
      ),
    ),
  );
}
