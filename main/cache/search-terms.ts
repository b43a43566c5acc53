/**
 * What the user typed in the catalog's search box, as an FTS5 query. The list filters as they
 * type, so every word is a prefix ("ubu 22" finds "Ubuntu 22.04") and all words must match.
 * The input is cut into the same tokens the index holds (unicode61: letters, digits and private
 * use characters; everything else separates), and each token is quoted, so quotes, `*`, `-`,
 * parentheses, `:` or NEAR/AND/OR/NOT in the input are searched for as text, never parsed.
 */
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

/** The FTS5 MATCH expression for `search`; null when it holds nothing searchable (no filter). */
export function prefixMatch(search: string): string | null {
  const tokens = new Set(search.match(TOKEN));
  if (tokens.size === 0) return null;
  return [...tokens].map((token) => `"${token}"*`).join(' AND ');
}
