import type { PageArgs } from '../connection.ts';
import type { OwnerRecord, RepositoryRecord } from '../records.ts';
import type { Store } from '../store.ts';

export type OrderDirection = 'ASC' | 'DESC';
export type RepositoryOrderField = 'CREATED_AT' | 'UPDATED_AT' | 'PUSHED_AT' | 'NAME' | 'STARGAZERS';
type Affiliation = 'OWNER' | 'COLLABORATOR' | 'ORGANIZATION_MEMBER';

/** The arguments of `User.repositories` / `Organization.repositories` the emulator honours. */
export interface RepositoryListArgs extends PageArgs {
  privacy?: 'PUBLIC' | 'PRIVATE' | null;
  visibility?: 'PUBLIC' | 'PRIVATE' | 'INTERNAL' | null;
  orderBy?: { field: RepositoryOrderField; direction: OrderDirection } | null;
  ownerAffiliations?: readonly (Affiliation | null)[] | null;
  isFork?: boolean | null;
  isArchived?: boolean | null;
  isLocked?: boolean | null;
  hasIssuesEnabled?: boolean | null;
}

/** GitHub's default when `ownerAffiliations` is left out (the schema's default value). */
const DEFAULT_AFFILIATIONS: readonly Affiliation[] = ['OWNER', 'COLLABORATOR'];

/**
 * The repositories an owner's `repositories` connection lists, filtered and ordered like GitHub: owned
 * ones, plus those of the user's organizations for ORGANIZATION_MEMBER (the emulator has no outside
 * collaborators), only what the viewer may see. Without `orderBy`, oldest first.
 */
export function listRepositories(owner: OwnerRecord, args: RepositoryListArgs, store: Store): RepositoryRecord[] {
  const affiliations = args.ownerAffiliations?.filter((affiliation) => affiliation !== null) ?? DEFAULT_AFFILIATIONS;
  const candidates =
    owner.__typename === 'Organization'
      ? store.repositoriesOwnedBy(owner.login)
      : [
          ...(affiliations.includes('OWNER') ? store.repositoriesOwnedBy(owner.login) : []),
          ...(affiliations.includes('ORGANIZATION_MEMBER')
            ? store.organizationsOf(owner).flatMap((organization) => store.repositoriesOwnedBy(organization.login))
            : []),
        ];
  const visibility = args.visibility ?? args.privacy;
  const listed = candidates.filter(
    (repository) =>
      (!visibility || repository.visibility === visibility) &&
      (typeof args.isFork !== 'boolean' || repository.isFork === args.isFork) &&
      (typeof args.isArchived !== 'boolean' || repository.isArchived === args.isArchived) &&
      args.isLocked !== true &&
      (typeof args.hasIssuesEnabled !== 'boolean' || repository.hasIssuesEnabled === args.hasIssuesEnabled),
  );
  return orderRepositories(listed, args.orderBy ?? { field: 'CREATED_AT', direction: 'ASC' });
}

export function orderRepositories(
  repositories: readonly RepositoryRecord[],
  { field, direction }: { field: RepositoryOrderField; direction: OrderDirection },
): RepositoryRecord[] {
  const sign = direction === 'DESC' ? -1 : 1;
  return [...repositories].sort(
    (a, b) => sign * compareBy(field, a, b) || a.nameWithOwner.localeCompare(b.nameWithOwner) || a.databaseId - b.databaseId,
  );
}

function compareBy(field: RepositoryOrderField, a: RepositoryRecord, b: RepositoryRecord): number {
  switch (field) {
    case 'STARGAZERS':
      return a.stargazerCount - b.stargazerCount;
    case 'NAME':
      return a.name.toLowerCase().localeCompare(b.name.toLowerCase());
    case 'CREATED_AT':
      return a.createdAt.localeCompare(b.createdAt);
    case 'UPDATED_AT':
      return a.updatedAt.localeCompare(b.updatedAt);
    case 'PUSHED_AT':
      return a.pushedAt.localeCompare(b.pushedAt);
  }
}
