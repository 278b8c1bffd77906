/**
 * Pan and zoom for the graph's SVG. The wheel scrolls (a tall graph reads like a page),
 * Ctrl/⌘ + wheel zooms around the pointer, two fingers zoom and pan together, dragging pans, and
 * a drag never counts as a click on the box under it.
 */
const PAD = 16;
const MIN_ZOOM = 0.05;
/** Fitting a whole drawing may go this far out: a ten-thousand-box outline still fits the screen. */
const MIN_FIT_ZOOM = 0.002;
const MAX_ZOOM = 4;
/** Below this zoom the 11 px labels cannot be read. */
const LEGIBLE_ZOOM = 0.6;

export class PanZoom {
  private tx = 0;
  private ty = 0;
  private k = 1;
  private width = 0;
  private height = 0;
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private moved = 0;
  /** True when the last pointer gesture moved far enough to be a drag, not a click. */
  dragged = false;

  constructor(private readonly canvas: HTMLElement, private readonly viewport: SVGGElement) {
    canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    canvas.addEventListener('pointerdown', (e) => this.onDown(e));
    canvas.addEventListener('pointermove', (e) => this.onMove(e));
    canvas.addEventListener('pointerup', (e) => this.onUp(e));
    canvas.addEventListener('pointercancel', (e) => this.onUp(e));
    canvas.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** The zoom factor in use. */
  get zoom(): number {
    return this.k;
  }

  /** Tells the size of the drawing in its own units. */
  setContentSize(width: number, height: number): void {
    this.width = width;
    this.height = height;
  }

  private apply(): void {
    this.viewport.setAttribute('transform', `translate(${this.tx.toFixed(1)},${this.ty.toFixed(1)}) scale(${this.k.toFixed(4)})`);
  }

  /**
   * Fits the drawing's width (never enlarging past 1:1) and shows its top, centred when it all
   * fits. A drawing too wide to fit at a legible zoom is shown at that zoom instead, centred on
   * `focusX` (the first box), so the reader starts at the input rather than in empty space.
   */
  fit(focusX?: number): void {
    const cw = this.canvas.clientWidth;
    const ch = this.canvas.clientHeight;
    if (!(this.width > 0) || cw === 0) return;
    const whole = Math.min(1, (cw - 2 * PAD) / this.width);
    const fitsAll = this.height * whole <= ch;
    this.k = fitsAll ? Math.max(MIN_ZOOM, whole) : Math.max(whole, LEGIBLE_ZOOM);
    this.tx = this.width * this.k <= cw || focusX === undefined ? (cw - this.width * this.k) / 2 : cw / 2 - this.k * focusX;
    this.ty = this.height * this.k < ch ? (ch - this.height * this.k) / 2 : PAD;
    this.apply();
  }

  /** Fits the whole drawing in the canvas, centred, never enlarging past 1:1. */
  fitAll(): void {
    const cw = this.canvas.clientWidth;
    const ch = this.canvas.clientHeight;
    if (!(this.width > 0) || !(this.height > 0) || cw === 0) return;
    this.k = Math.max(MIN_FIT_ZOOM, Math.min(1, (cw - 2 * PAD) / this.width, (ch - 2 * PAD) / this.height));
    this.tx = (cw - this.width * this.k) / 2;
    this.ty = (ch - this.height * this.k) / 2;
    this.apply();
  }

  /** Multiplies the zoom around a point of the canvas (its centre by default). */
  zoomBy(factor: number, cx = this.canvas.clientWidth / 2, cy = this.canvas.clientHeight / 2): void {
    // Zooming out stops at the floor, or where a whole-graph view below the floor already is.
    const k = Math.max(Math.min(MIN_ZOOM, this.k), Math.min(MAX_ZOOM, this.k * factor));
    this.tx = cx - ((cx - this.tx) * k) / this.k;
    this.ty = cy - ((cy - this.ty) * k) / this.k;
    this.k = k;
    this.clamp();
  }

  /** Moves the drawing by screen pixels. */
  panBy(dx: number, dy: number): void {
    this.tx += dx;
    this.ty += dy;
    this.clamp();
  }

  /** Screen position (canvas pixels) of a point of the drawing. */
  toScreen(x: number, y: number): { x: number; y: number } {
    return { x: this.tx + this.k * x, y: this.ty + this.k * y };
  }

  /** Puts a point of the drawing in the middle of the canvas, or of its top `visibleHeight` pixels. */
  centreOn(x: number, y: number, visibleHeight = this.canvas.clientHeight): void {
    this.tx = this.canvas.clientWidth / 2 - this.k * x;
    this.ty = Math.min(visibleHeight, this.canvas.clientHeight) / 2 - this.k * y;
    this.clamp();
  }

  /** Keeps at least a strip of the drawing on screen, so it cannot be lost off an edge. */
  clamp(): void {
    const cw = this.canvas.clientWidth;
    const ch = this.canvas.clientHeight;
    const keep = 60;
    this.tx = Math.min(cw - keep, Math.max(keep - this.width * this.k, this.tx));
    this.ty = Math.min(ch - keep, Math.max(keep - this.height * this.k, this.ty));
    this.apply();
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const r = this.canvas.getBoundingClientRect();
    const scale = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.canvas.clientHeight : 1;
    if (e.ctrlKey || e.metaKey) this.zoomBy(Math.exp(-e.deltaY * scale * 0.002), e.clientX - r.left, e.clientY - r.top);
    else this.panBy(-(e.shiftKey ? e.deltaY : e.deltaX) * scale, -(e.shiftKey ? 0 : e.deltaY) * scale);
  }

  private onDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (this.pointers.size === 1) {
      this.moved = 0;
      this.dragged = false;
    }
  }

  private onMove(e: PointerEvent): void {
    const prev = this.pointers.get(e.pointerId);
    if (!prev) return;
    const next = { x: e.clientX, y: e.clientY };
    if (this.pointers.size === 2) {
      // Two fingers: zoom by how much farther apart they are, about where their midpoint was,
      // then follow the midpoint, so the point between the fingers stays between them.
      const other = [...this.pointers.entries()].find(([id]) => id !== e.pointerId)![1];
      const before = Math.hypot(prev.x - other.x, prev.y - other.y);
      const after = Math.hypot(next.x - other.x, next.y - other.y);
      const r = this.canvas.getBoundingClientRect();
      const was = { x: (prev.x + other.x) / 2 - r.left, y: (prev.y + other.y) / 2 - r.top };
      const now = { x: (next.x + other.x) / 2 - r.left, y: (next.y + other.y) / 2 - r.top };
      if (before > 0) this.zoomBy(after / before, was.x, was.y);
      this.panBy(now.x - was.x, now.y - was.y);
      this.dragged = true;
    } else {
      this.moved += Math.abs(next.x - prev.x) + Math.abs(next.y - prev.y);
      if (this.moved > 4) {
        if (!this.dragged) this.canvas.setPointerCapture(e.pointerId);
        this.dragged = true;
        this.panBy(next.x - prev.x, next.y - prev.y);
      }
    }
    this.pointers.set(e.pointerId, next);
  }

  private onUp(e: PointerEvent): void {
    this.pointers.delete(e.pointerId);
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target !== this.canvas) return;
    const step = 60;
    const moves: Record<string, [number, number]> = { ArrowUp: [0, step], ArrowDown: [0, -step], ArrowLeft: [step, 0], ArrowRight: [-step, 0] };
    if (moves[e.key]) {
      e.preventDefault();
      this.panBy(...moves[e.key]!);
    } else if (e.key === '+' || e.key === '=') this.zoomBy(1.25);
    else if (e.key === '-') this.zoomBy(0.8);
    else if (e.key === '0') this.fitAll();
  }
}
