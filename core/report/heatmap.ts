// Attention maps as PNG data URIs: the map, upsampled, in a colour scale over the (grayed) probe image.
import { PNG } from 'pngjs';
import { inferno } from './inferno.js';

/** The app's colour map (inferno-like), so a map in a report looks as it did on the dashboard. */
export function colorAt(v: number): [number, number, number] {
  return inferno(v);
}

/** Bilinear sample of a row-major h×w map at (y, x) in map coordinates. */
function sample(map: number[], h: number, w: number, y: number, x: number): number {
  const y0 = Math.max(0, Math.min(h - 1, Math.floor(y)));
  const x0 = Math.max(0, Math.min(w - 1, Math.floor(x)));
  const y1 = Math.min(h - 1, y0 + 1);
  const x1 = Math.min(w - 1, x0 + 1);
  const fy = Math.max(0, Math.min(1, y - y0));
  const fx = Math.max(0, Math.min(1, x - x0));
  const top = map[y0 * w + x0] * (1 - fx) + map[y0 * w + x1] * fx;
  const bot = map[y1 * w + x0] * (1 - fx) + map[y1 * w + x1] * fx;
  return top * (1 - fy) + bot * fy;
}

/**
 * PNG bytes of `size`×`size`: the attention map (scaled so its largest value is 1) over the probe image
 * (decoded from PNG, shown in gray), half and half; the map alone when there is no image.
 */
export function attentionOverlayPng(map: number[], h: number, w: number, probePng?: Uint8Array, size = 96): Buffer {
  const max = Math.max(1e-12, ...map.map((v) => (Number.isFinite(v) ? v : 0)));
  let img: PNG | null = null;
  if (probePng) {
    try {
      img = PNG.sync.read(Buffer.from(probePng));
    } catch {
      img = null; // a damaged probe image still leaves the map worth showing
    }
  }
  const out = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const v = sample(map, h, w, ((py + 0.5) * h) / size - 0.5, ((px + 0.5) * w) / size - 0.5) / max;
      const [r, g, b] = colorAt(v);
      const o = (py * size + px) * 4;
      if (img) {
        const iy = Math.min(img.height - 1, Math.floor((py * img.height) / size));
        const ix = Math.min(img.width - 1, Math.floor((px * img.width) / size));
        const io = (iy * img.width + ix) * 4;
        const gray = 0.299 * img.data[io] + 0.587 * img.data[io + 1] + 0.114 * img.data[io + 2];
        out.data[o] = Math.round(0.5 * gray + 0.5 * r);
        out.data[o + 1] = Math.round(0.5 * gray + 0.5 * g);
        out.data[o + 2] = Math.round(0.5 * gray + 0.5 * b);
      } else {
        out.data[o] = r;
        out.data[o + 1] = g;
        out.data[o + 2] = b;
      }
      out.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(out);
}

export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}
