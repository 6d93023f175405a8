// Serve mode: `atstudio serve` calls startServer with the application service.
export { startServer, ServeError, type ServeOptions, type RunningServer } from './server.js';
export { defaultStaticDir, placeholderPage } from './files.js';
export { CONTENT_SECURITY_POLICY } from './headers.js';
export { generateToken, isLoopbackHost, TOKEN_COOKIE } from './auth.js';
export type { ClientMessage, ServerMessage } from './events.js';
export { startServeMode, type ServeMode, type ServeModeOptions } from './serveMode.js';
