/** One figure of the benchmark next to what it is judged against. */
export interface BenchRow {
  scenario: string;
  what: string;
  size: string;
  value: number;
  unit: string;
  /** The documented minimum the networks allow, or a baseline measured in the same run. */
  reference?: { value: number; label: string } | undefined;
  note?: string;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));

export function ratioOf(row: BenchRow): string {
  if (row.reference === undefined || row.reference.value === 0) return '';
  return `${(row.value / row.reference.value).toFixed(2)}×`;
}

export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = ['| scenario | what | size | figure | reference | ratio | note |', '|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    const reference = row.reference ? `${fmt(row.reference.value)} ${row.unit} (${row.reference.label})` : '';
    lines.push(`| ${row.scenario} | ${row.what} | ${row.size} | ${fmt(row.value)} ${row.unit} | ${reference} | ${ratioOf(row)} | ${row.note ?? ''} |`);
  }
  return lines.join('\n');
}
