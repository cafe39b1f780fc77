/** The id behind an expandable field: stored objects hold ids, but the SDK types allow either. */
export function idOf(reference: string | { id: string }): string {
  return typeof reference === 'string' ? reference : reference.id;
}
