/** The columns a catalog query sorts by: the contract's SortKey is built from them, and `isodesk list --help` lists them without loading zod. */
export const SORT_KEYS = ['name', 'iso_name', 'description', 'size', 'created_at'] as const;
