/**
 * Pictures to download: the graph's drawing or a chart as a standalone SVG file, or as a PNG
 * rendered from that SVG in the browser. PNGs are drawn at twice the size for sharp text, less
 * when the drawing is so large that a canvas could not hold it.
 */
import { saveBlob } from './dom.js';

/** Largest canvas side and area the page asks a browser for (Chromium's own limits are higher). */
export const CANVAS_MAX = { side: 16_384, area: 64 * 1024 * 1024 } as const;

/** Pixels per drawing unit of a PNG: 2 when it fits, else as much as the canvas limits allow. */
export function pngScale(width: number, height: number, preferred = 2): number {
  if (!(width > 0) || !(height > 0)) return preferred;
  return Math.min(preferred, CANVAS_MAX.side / width, CANVAS_MAX.side / height, Math.sqrt(CANVAS_MAX.area / (width * height)));
}

/** A standalone SVG document around drawing markup, on a white background. */
export function svgDocument(inner: string, width: number, height: number): string {
  const w = Math.ceil(width);
  const hh = Math.ceil(height);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${hh}" viewBox="0 0 ${w} ${hh}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${inner}</svg>\n`
  );
}

/** Renders SVG text to a PNG blob at `scale` pixels per unit. */
export async function svgToPng(svg: string, width: number, height: number, scale = pngScale(width, height)): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Offers SVG text as a download. */
export const saveSvg = (name: string, svg: string): void => saveBlob(name, new Blob([svg], { type: 'image/svg+xml' }));

/** Offers SVG text as a PNG download. */
export async function savePng(name: string, svg: string, width: number, height: number): Promise<void> {
  saveBlob(name, await svgToPng(svg, width, height));
}
