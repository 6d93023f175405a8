// The window's security settings in one place: the app's origin, the content security policy, and the
// rules for where a page may go.

/**
 * The renderer is served from app://atstudio/ (protocol.handle), not file://: a real origin that is not
 * shared with every other local file, so IPC senders can be checked by origin and the CSP's 'self' means
 * only the app's own files.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'atstudio';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

// "Use camera" (Try it) needs no media-src: a MediaStream given to <video> through srcObject is not a fetch
// (checked in Debian's Chromium: getUserMedia → srcObject → canvas works under default-src 'none').
// style-src allows inline styles (Svelte and chart.js set style attributes); scripts only from the app.
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** True for app://atstudio/… URLs. (Node's URL gives origin 'null' for custom schemes: compare parts.) */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Permissions the window may have: the camera (video only) for "Try it", asked by the app's own page;
 * nothing else (no microphone, notifications, geolocation…), and nothing for any other origin.
 * `mediaTypes` is what a request asks for (Electron's details.mediaTypes) or a check's single mediaType.
 */
export function allowPermission(permission: string, details: { requestingUrl?: string | null; mediaTypes?: readonly string[] }): boolean {
  if (permission !== 'media' || !isAppUrl(details.requestingUrl)) return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((t) => t === 'video');
}

/** Links the app may hand to the system browser: https only. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
} as const;
