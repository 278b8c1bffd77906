/**
 * The shape every report takes before it is rendered: a title, facts about the model, one table,
 * totals and optional text sections. Each format (terminal table, markdown, HTML, CSV) renders
 * this one document, so the formats cannot disagree about what a report contains.
 */

/** Output formats of `summary`, `compare` and `list`. */
export const FORMATS = ['table', 'json', 'md', 'csv', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** One table column: `key` heads CSV and JSON, `header` heads the human formats. */
export interface Column {
  key: string;
  header: string;
  /** Right-aligned in text, markdown and HTML. */
  numeric: boolean;
}

/** A cell: the human text (`117.6k`) and the exact value (`117600`) CSV writes; a bigint where a count passes 2^53. */
export interface Cell {
  text: string;
  value: number | bigint | string;
}

export interface Table {
  columns: Column[];
  rows: Cell[][];
}

/** A labelled total such as `Total params` → `61,706 (61.71k)`. */
export interface Fact {
  label: string;
  text: string;
}

/** A block of preformatted lines (formulas, notes) under a heading. */
export interface Section {
  title: string;
  lines: string[];
}

export interface Report {
  title: string;
  /** Short facts shown under the title: input, conventions. */
  facts: Fact[];
  table: Table;
  totals: Fact[];
  sections: Section[];
  /** Footnotes, such as what a `*` in the table means. */
  notes: string[];
}

/** A cell whose text is the value itself. */
export const textCell = (s: string): Cell => ({ text: s, value: s });

/** A numeric cell shown through `format` and written exactly to CSV. */
export const numCell = (x: number, format: (x: number) => string): Cell => ({ text: format(x), value: x });

/** A count's cell: exact at any size, shown through `format`. */
export const countCell = (x: number | bigint, format: (x: number | bigint) => string): Cell => ({ text: format(x), value: x });
