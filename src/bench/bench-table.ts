/** A bench's figures one to a line, the names in a column `width` wide; a nested figure as JSON. */
export function benchTable(report: Readonly<Record<string, unknown>>, width: number): string {
  return Object.entries(report)
    .map(
      ([name, value]) =>
        `${name.padEnd(width)} ${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    )
    .join("\n");
}
