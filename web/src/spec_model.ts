/**
 * The spec editor as data: the backdrop that marks an error's lines, the inline note and banner
 * that name its place, where they sit as the text scrolls, and when the editor takes new text.
 */
import { esc } from './dom.js';
import type { Problem, Source } from './source.js';
import { locateProblem, type Span } from './spec_text.js';

/** What the editor paints for its text and the problem shown, if any. */
export interface SpecPaint {
  /** Markup of the backdrop: the text, the error's lines in a <mark>. */
  backdrop: string;
  span: Span | null;
  /** The note under the marked lines: `node conv2 · line 12` and the message. */
  inline: { title: string; message: string } | null;
  /** The banner above the editor: the message where no line could be found, else the place with a link to it. */
  banner: { message: string } | { place: string } | null;
}

/** How the editor names where an error is: the node, or `here`. */
const placeOf = (p: Problem): string => (p.node !== undefined ? `node ${p.node}` : 'here');

/** The paint for `text`, with `problem` (the analysis' of this text, or null) located in it. */
export function specPaint(text: string, problem: Problem | null): SpecPaint {
  const span = problem ? locateProblem(text, problem) : null;
  if (!problem || !span) return { backdrop: `${esc(text)}\n`, span: null, inline: null, banner: problem ? { message: problem.message } : null };
  const lines = text.split('\n');
  const before = lines.slice(0, span.line).join('\n');
  const marked = lines.slice(span.line, span.endLine + 1).join('\n');
  const after = lines.slice(span.endLine + 1).join('\n');
  const where = placeOf(problem);
  return {
    backdrop: `${esc(before)}${span.line > 0 ? '\n' : ''}<mark>${esc(marked)}</mark>\n${esc(after)}\n`,
    span,
    inline: { title: `${where} · line ${span.line + 1}`, message: problem.message },
    banner: { place: `Error at ${where}, line ${span.line + 1}. ` },
  };
}

/** Line height and top padding of the editor, in pixels. */
export interface TextMetrics {
  line: number;
  top: number;
}

/** The inline note's top edge: under the marked lines' last line, moving with the scrolled text. */
export const inlineTop = (span: Span, m: TextMetrics, scrollTop: number): number => m.top + (span.endLine + 1) * m.line - scrollTop + 2;

/** The scroll position that brings a span's first line a third of the way down the editor. */
export const scrollToSpan = (span: Span, m: TextMetrics, height: number): number => Math.max(0, span.line * m.line - height / 3);

/**
 * What the editor does after a change: show a zoo model's generated spec ('load'), take text
 * that arrived from elsewhere (an upload: 'adopt'), or keep what the user is typing (null).
 */
export function editorAction(source: Source, changes: ReadonlySet<string>, o: { shown: unknown; text: string; typing: boolean }): 'load' | 'adopt' | null {
  if (source.kind === 'zoo') return changes.has('analysis') || changes.has('view') ? 'load' : null;
  return o.shown !== source && o.text !== source.text && !o.typing ? 'adopt' : null;
}
