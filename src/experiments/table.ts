/** A plain table rendered two ways: padded text for the terminal, GitHub markdown for docs. */
export interface Table {
  title: string;
  header: string[];
  rows: string[][];
  notes?: string[];
}

export function toText(t: Table): string {
  const all = [t.header, ...t.rows];
  const widths = t.header.map((_, j) => Math.max(...all.map((r) => (r[j] ?? '').length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  const out = [t.title, line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line), ...(t.notes ?? [])];
  return out.join('\n') + '\n';
}

export function toMarkdown(t: Table): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const out = [
    `### ${t.title}`,
    '',
    `| ${t.header.map(esc).join(' | ')} |`,
    `|${t.header.map((_, j) => (j === 0 ? '---' : '---:')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
    ...(t.notes ?? []).flatMap((n) => [n, '']),
  ];
  return out.join('\n');
}

/** Swaps rows and columns (the first column becomes the header), for tables with many levels. */
export function transpose(t: Table, corner: string): Table {
  const cols = t.header.slice(1);
  return {
    ...t,
    header: [corner, ...t.rows.map((r) => r[0])],
    rows: cols.map((c, j) => [c, ...t.rows.map((r) => r[j + 1])]),
  };
}
