/**
 * The spec editor as data: the backdrop that marks an error's lines, the gutter of line numbers
 * that marks them too, the message line under the editor that names the place, and when the
 * editor takes new text.
 */
import { esc } from './dom.js';
import type { Problem, Source } from './source.js';
import { lineColumn, locateProblem, type Span } from './spec_text.js';

/** What the editor paints for its text and the problem shown, if any. */
export interface SpecPaint {
  /** Markup of the backdrop behind the text: the text, the error's lines in a <mark>. */
  backdrop: string;
  span: Span | null;
  /**
   * The message line under the editor: where the error is (`node conv2 · line 12`, or `line 7,
   * column 12` for a syntax error; null when no line could be found) and the library's message.
   */
  message: { where: string | null; text: string } | null;
}

/** Where the editor says an error is: the node and line, or the line and column of a syntax error. */
function placeOf(text: string, p: Problem, span: Span): string {
  if (p.node !== undefined) return `node ${p.node} · line ${span.line + 1}`;
  const { line, column } = lineColumn(text, span.start);
  return `line ${line}, column ${column}`;
}

/** The paint for `text`, with `problem` (the analysis' of this text, or null) located in it. */
export function specPaint(text: string, problem: Problem | null): SpecPaint {
  const span = problem ? locateProblem(text, problem) : null;
  if (!problem || !span) return { backdrop: `${esc(text)}\n`, span: null, message: problem ? { where: null, text: problem.message } : null };
  const lines = text.split('\n');
  const before = lines.slice(0, span.line).join('\n');
  const marked = lines.slice(span.line, span.endLine + 1).join('\n');
  const after = lines.slice(span.endLine + 1).join('\n');
  return {
    backdrop: `${esc(before)}${span.line > 0 ? '\n' : ''}<mark>${esc(marked)}</mark>\n${esc(after)}\n`,
    span,
    message: { where: placeOf(text, problem, span), text: problem.message },
  };
}

/** The gutter beside the text: one number a line, the lines of `span` marked as the error's. */
export function gutterMarkup(lineCount: number, span: Span | null): string {
  const out: string[] = [];
  for (let i = 0; i < lineCount; i++) {
    const n = String(i + 1);
    out.push(span && i >= span.line && i <= span.endLine ? `<mark title="error">${n}</mark>` : n);
  }
  return `${out.join('\n')}\n`;
}

/** Line height and top padding of the editor, in pixels. */
export interface TextMetrics {
  line: number;
  top: number;
}

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
