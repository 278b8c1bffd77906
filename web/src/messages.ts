/**
 * The explorer's own messages (the library's live in its message module): what the page says
 * about links, inputs, searches, large graphs, layouts and shared links. Tests assert against
 * these functions, so the wording lives here only.
 */
import { int } from '../../src/report/units.js';

const quote = (s: string): string => JSON.stringify(s);
const plural = (n: number, one: string, many = `${one}s`): string => `${int(n)} ${n === 1 ? one : many}`;

export const pageMessages = {
  /** A link value the page cannot use, and what it shows instead. */
  badLinkValue: (key: string, received: string, allowed: readonly string[], using: string) =>
    `link: ${key}=${received} is not one of ${allowed.join(', ')}; showing ${using}`,
  badLinkNumber: (key: string, received: string, expected: string, using: string) =>
    `link: ${key}=${received} must be ${expected}; showing ${using}`,
  unknownLinkKey: (key: string) => `link: ${quote(key)} is not something a link sets; ignored`,
  unknownModel: (id: string, suggestion: string | undefined, using: string) =>
    `link: there is no zoo model ${quote(id)}${suggestion ? ` (did you mean ${quote(suggestion)}?)` : ''}; showing ${using}`,
  unknownCompareModels: (ids: readonly string[]) => `link: compare names no zoo model ${ids.map(quote).join(', ')}; left out`,
  /** A number typed into an option box that the builder cannot take. */
  badNumberInput: (label: string, received: string) => `${label} must be a whole number of at least 1; received ${quote(received)}`,

  noLayerMatches: (query: string) => `No layer name or op contains ${quote(query)}`,
  layerMatches: (shown: number, total: number) => (shown < total ? `${int(total)} layers match; the first ${int(shown)} are listed` : `${plural(total, 'layer')} match`),

  /** Shown over the graph while a new model is laid out, so the last model's drawing never sits under a new name. */
  layingOut: (model: string, boxes: number) => `Laying out ${model}: ${plural(boxes, 'box', 'boxes')}…`,
  outline: (layers: number, size: number) =>
    `${int(layers)} layers: long runs are folded into ranges of up to ${int(size)} items, so the drawing stays readable. Open a range to see inside it, or use Find.`,
  drawLimit: (limit: number) => `Opening more would draw over ${int(limit)} boxes, so the deeper blocks stay closed: open them one at a time.`,
  blockTooLarge: (block: string, limit: number) => `Opening ${block} would draw over ${int(limit)} boxes: close other blocks first, or open the blocks inside it from its details.`,
  plainLayout: (reason: 'size' | 'budget' | 'failed', boxes: number, limit: number, budgetMs: number) =>
    reason === 'size'
      ? `${plural(boxes, 'box', 'boxes')}: drawn with the plain layered layout (ELK lays out up to ${int(limit)}).`
      : reason === 'budget'
        ? `ELK did not finish within ${budgetMs / 1000} s: drawn with the plain layered layout.`
        : 'ELK could not lay this graph out: drawn with the plain layered layout.',
  drawn: (layers: number, boxes: number, closed: number, ms: number, engine: string) =>
    `${plural(layers, 'layer')} · ${plural(boxes, 'box', 'boxes')} · ${plural(closed, 'closed block')} · ${engine} layout ${int(Math.round(ms))} ms`,
  analysing: (name: string, bytes: string) => `Reading and analysing ${name} (${bytes})…`,

  /** A shared link that carries a spec. */
  shareTooLarge: (size: string, limit: string) =>
    `This spec compresses to ${size}, over the ${limit} a link carries: download it (Spec → Download) and share the file instead.`,
  shareReady: (size: string) => `Link copied: it carries this spec (${size} compressed).`,
  shareCopyFailed: (size: string | null) => `The link${size ? ` (${size} compressed)` : ''} is in the box below: copy it from there.`,
  shareZooReady: () => 'Link copied: it names the model and its options.',
  badSharedSpec: (detail: string) => `link: the spec in this link cannot be read (${detail}); showing the default model`,
} as const;
