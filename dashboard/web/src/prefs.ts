/** Display preferences for a control-room wall or a laptop, kept per browser. */
export interface Prefs {
  largeType: boolean;
  highContrast: boolean;
}

const KEY = 'city-ops-prefs';

export function loadPrefs(): Prefs {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Prefs>;
    return { largeType: raw.largeType === true, highContrast: raw.highContrast === true };
  } catch {
    return { largeType: false, highContrast: false };
  }
}

export function applyPrefs(p: Prefs): void {
  localStorage.setItem(KEY, JSON.stringify(p));
  document.documentElement.classList.toggle('large-type', p.largeType);
  document.documentElement.classList.toggle('high-contrast', p.highContrast);
}
