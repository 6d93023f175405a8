// jsdom lacks a few browser APIs the components use; these stand-ins keep component tests honest about
// behaviour without pretending to draw.
import '@testing-library/svelte/vitest';
import '@testing-library/jest-dom/vitest';

if (!globalThis.matchMedia) {
  (globalThis as any).matchMedia = (query: string) => ({
    matches: false, media: query, addEventListener() {}, removeEventListener() {}, onchange: null,
    addListener() {}, removeListener() {}, dispatchEvent: () => false,
  });
}
if (!(globalThis as any).ResizeObserver) {
  (globalThis as any).ResizeObserver = class { observe() {} unobserve() {} disconnect() {} };
}
// jsdom has no 2D canvas: say so quietly (null, as a browser without canvas support would) instead of
// printing "Not implemented" for every chart and map.
HTMLCanvasElement.prototype.getContext = (() => null) as any;
