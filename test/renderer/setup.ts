// jsdom lacks a few browser APIs the components use; these stand-ins keep component tests honest about
// behaviour without pretending to draw.
import '@testing-library/svelte/vitest';

if (!globalThis.matchMedia) {
  (globalThis as any).matchMedia = (query: string) => ({
    matches: false, media: query, addEventListener() {}, removeEventListener() {}, onchange: null,
    addListener() {}, removeListener() {}, dispatchEvent: () => false,
  });
}
if (!(globalThis as any).ResizeObserver) {
  (globalThis as any).ResizeObserver = class { observe() {} unobserve() {} disconnect() {} };
}
