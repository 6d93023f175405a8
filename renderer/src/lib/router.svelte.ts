// Hash routes: serve mode has no SPA fallback and Electron loads one file, so the path stays "/".
export type Route =
  | { name: 'runs' }
  | { name: 'new'; from?: string }
  | { name: 'run'; id: string }
  | { name: 'compare'; ids: string[] }
  | { name: 'studies' }
  | { name: 'study'; id: string }
  | { name: 'settings' }
  | { name: 'notfound'; path: string };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'runs')) return { name: 'runs' };
  if (parts.length === 1 && parts[0] === 'new') {
    const from = query.get('from');
    return from ? { name: 'new', from } : { name: 'new' };
  }
  if (parts.length === 2 && parts[0] === 'runs') return { name: 'run', id: parts[1]! };
  if (parts.length === 1 && parts[0] === 'studies') return { name: 'studies' };
  if (parts.length === 1 && parts[0] === 'settings') return { name: 'settings' };
  if (parts.length === 2 && parts[0] === 'studies') return { name: 'study', id: parts[1]! };
  if (parts.length === 1 && parts[0] === 'compare') {
    return { name: 'compare', ids: (query.get('ids') ?? '').split(',').filter(Boolean) };
  }
  return { name: 'notfound', path };
}

export function href(r: Route): string {
  switch (r.name) {
    case 'runs': return '#/runs';
    case 'new': return r.from ? `#/new?from=${encodeURIComponent(r.from)}` : '#/new';
    case 'run': return `#/runs/${encodeURIComponent(r.id)}`;
    case 'compare': return r.ids.length ? `#/compare?ids=${r.ids.map(encodeURIComponent).join(',')}` : '#/compare';
    case 'studies': return '#/studies';
    case 'study': return `#/studies/${encodeURIComponent(r.id)}`;
    case 'settings': return '#/settings';
    case 'notfound': return `#${r.path}`;
  }
}

class Router {
  current = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => { this.current = parseHash(location.hash); });
    }
  }

  go(r: Route): void {
    const h = href(r);
    if (location.hash === h) this.current = parseHash(h);
    else location.hash = h;
  }
}

export const router = new Router();
