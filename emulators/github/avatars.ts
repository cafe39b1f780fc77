/** GitHub's avatar URL for an account id; `size` adds the `s=` parameter as GitHub's `avatarUrl(size:)` does. */
export function avatarUrl(databaseId: number, size?: number | null): string {
  return `https://avatars.githubusercontent.com/u/${databaseId}?${typeof size === 'number' ? `s=${size}&` : ''}v=4`;
}
