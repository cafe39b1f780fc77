import { avatarUrl } from '../avatars.ts';
import { paginate, type PageArgs } from '../connection.ts';
import type { Resolver, TypeResolvers } from '../context.ts';
import type { OrganizationRecord, OwnerRecord, UserRecord } from '../records.ts';
import { listRepositories, type OrderDirection, type RepositoryListArgs } from './repository-list.ts';

/** Fields every RepositoryOwner (User, Organization) resolves the same way. */
const ownerResolvers = {
  avatarUrl: ((owner, { size }) => avatarUrl(owner.databaseId, size)) satisfies Resolver<OwnerRecord, { size?: number | null }>,
  repositories: ((owner, args, { store }, info) => paginate(listRepositories(owner, args, store), args, info)) satisfies Resolver<
    OwnerRecord,
    RepositoryListArgs
  >,
  repository: ((owner, { name }, { store }) => store.repository(owner.login, name) ?? null) satisfies Resolver<OwnerRecord, { name: string }>,
  isViewer: ((owner, _args, { viewer }) => owner.login === viewer.login) satisfies Resolver<OwnerRecord>,
} as const;

export const userResolvers: TypeResolvers = {
  ...ownerResolvers,
  followers: ((user, args, { store }, info) => {
    const followers = store.followersOf(user);
    return paginate(followers, args, info, { totalCount: followers.length + user.externalFollowers });
  }) satisfies Resolver<UserRecord, PageArgs>,
  following: ((user, args, { store }, info) => {
    const following = store.followingOf(user);
    return paginate(following, args, info, { totalCount: following.length + user.externalFollowing });
  }) satisfies Resolver<UserRecord, PageArgs>,
  starredRepositories: ((user, args, { store }, info) => {
    let stars = store.starsBy(user.login);
    if (args.ownedByViewer === true) stars = stars.filter(({ repository }) => repository.ownerLogin === user.login);
    if (args.orderBy?.direction === 'DESC') stars.reverse();
    return paginate(stars, args, info, { node: (star) => star.repository, edgeFields: ({ starredAt }) => ({ starredAt }) });
  }) satisfies Resolver<UserRecord, PageArgs & { ownedByViewer?: boolean | null; orderBy?: { direction: OrderDirection } | null }>,
  organizations: ((user, args, { store }, info) => paginate(store.organizationsOf(user), args, info)) satisfies Resolver<UserRecord, PageArgs>,
  viewerIsFollowing: ((user, _args, { viewer }) => viewer.follows.includes(user.login)) satisfies Resolver<UserRecord>,
  isFollowingViewer: ((user, _args, { viewer }) => user.follows.includes(viewer.login)) satisfies Resolver<UserRecord>,
  viewerCanFollow: ((user, _args, { viewer }) => user.login !== viewer.login) satisfies Resolver<UserRecord>,
  bioHTML: ((user) => (user.bio ? `<div>${escapeHtml(user.bio)}</div>` : '')) satisfies Resolver<UserRecord>,
};

export const organizationResolvers: TypeResolvers = {
  ...ownerResolvers,
  membersWithRole: ((organization, args, { store }, info) => {
    const members = organization.members.flatMap((login) => store.user(login) ?? []);
    return paginate(members, args, info, { edgeFields: () => ({ role: 'MEMBER', hasTwoFactorEnabled: null }) });
  }) satisfies Resolver<OrganizationRecord, PageArgs>,
  viewerIsAMember: ((organization, _args, { viewer }) => organization.members.includes(viewer.login)) satisfies Resolver<OrganizationRecord>,
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
