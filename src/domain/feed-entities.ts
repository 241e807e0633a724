const DOCTYPE = /<!DOCTYPE\b/iy;
const ENTITY = /<!ENTITY\b/iy;
const ANY_DECLARATION = /<!(?:DOCTYPE|ENTITY)\b/i;

/**
 * Whether the markup declares entities: a DOCTYPE with an internal subset, or an ENTITY
 * declaration. No news feed needs either, and refusing them outright shuts out billion-laughs
 * and external-entity documents whatever the parser would do with them. Comments and CDATA
 * sections are skipped, because they are text: an article about XML may well quote
 * `<!ENTITY` in its description. Text outside them cannot hold a literal `<!`, so every other
 * `<!` is markup. Every character is looked at a bounded number of times, so a hostile 5 MB
 * body costs one pass.
 */
export function declaresEntities(xml: string): boolean {
  let at = xml.indexOf("<!");
  while (at !== -1) {
    const closer = xml.startsWith("<!--", at) ? "-->" : xml.startsWith("<![CDATA[", at) ? "]]>" : undefined;
    if (closer) {
      const end = xml.indexOf(closer, at + 4);
      // Unclosed, the document is broken anyway; whatever follows must not hide a declaration.
      if (end === -1) return ANY_DECLARATION.test(xml.slice(at + 4));
      at = xml.indexOf("<!", end + closer.length);
      continue;
    }
    if (startsAt(ENTITY, xml, at)) return true;
    if (startsAt(DOCTYPE, xml, at)) {
      const doctype = scanDoctype(xml, at + "<!DOCTYPE".length);
      if (doctype === "subset") return true;
      at = xml.indexOf("<!", doctype);
      continue;
    }
    at = xml.indexOf("<!", at + 2);
  }
  return false;
}

function startsAt(pattern: RegExp, text: string, at: number): boolean {
  pattern.lastIndex = at;
  return pattern.test(text);
}

/**
 * Where a DOCTYPE without internal subset ends, or "subset". Its external ids are quoted and
 * may hold ">" or "["; the subset opens with a bare "[". A DOCTYPE left open counts as a
 * subset: its end cannot be trusted.
 */
function scanDoctype(xml: string, from: number): number | "subset" {
  for (let i = from; i < xml.length; i++) {
    const c = xml[i];
    if (c === "[") return "subset";
    if (c === ">") return i + 1;
    if (c === '"' || c === "'") {
      const close = xml.indexOf(c, i + 1);
      if (close === -1) return "subset";
      i = close;
    }
  }
  return "subset";
}
