import { ok, type ApiHandler } from '../api.ts';
import { renderUser } from '../fields.ts';
import { lookupBody } from '../lookup-body.ts';
import { notFound, unsupportedAuthentication } from '../problems.ts';
import { QueryReader } from '../query-params.ts';
import { readUserSelection, USER_SELECTION_PARAMETERS } from '../selection.ts';

const MAX_LOOKUP = 100;

/** GET /2/users?ids=: found users in `data` (in the order asked), the others as partial errors. */
export const lookupUsersByIds: ApiHandler = ({ query }, { store }) => {
  const reader = new QueryReader(query, ['ids', ...USER_SELECTION_PARAMETERS]);
  const ids = reader.ids('ids', MAX_LOOKUP);
  const selection = readUserSelection(reader);
  reader.assertValid();
  return ok(lookupBody(ids, (id) => store.user(id), { resource: 'user', parameter: 'ids' }, (user) => renderUser(user, selection.userFields)));
};

/** GET /2/users/by?usernames=: like `ids`, matching usernames case-insensitively. */
export const lookupUsersByUsernames: ApiHandler = ({ query }, { store }) => {
  const reader = new QueryReader(query, ['usernames', ...USER_SELECTION_PARAMETERS]);
  const usernames = reader.usernames('usernames', MAX_LOOKUP);
  const selection = readUserSelection(reader);
  reader.assertValid();
  return ok(
    lookupBody(usernames, (username) => store.userByUsername(username), { resource: 'user', parameter: 'usernames' }, (user) =>
      renderUser(user, selection.userFields),
    ),
  );
};

/** GET /2/users/:id: an unknown id is still a 200, carrying only the error. */
export const userById: ApiHandler = ({ query, params }, { store }) => {
  const reader = new QueryReader(query, USER_SELECTION_PARAMETERS);
  const id = reader.pathId('id', params['id'] ?? '');
  const selection = readUserSelection(reader);
  reader.assertValid();
  const user = store.user(id);
  return ok(user ? { data: renderUser(user, selection.userFields) } : { errors: [notFound('user', 'id', id)] });
};

/** GET /2/users/by/username/:username */
export const userByUsername: ApiHandler = ({ query, params }, { store }) => {
  const reader = new QueryReader(query, USER_SELECTION_PARAMETERS);
  const username = reader.pathUsername('username', params['username'] ?? '');
  const selection = readUserSelection(reader);
  reader.assertValid();
  const user = store.userByUsername(username);
  return ok(user ? { data: renderUser(user, selection.userFields) } : { errors: [notFound('user', 'username', username)] });
};

/** GET /2/users/me: the user a user-context token acts for. */
export const authenticatedUser: ApiHandler = ({ query, caller }, { store }) => {
  if (caller.kind !== 'user') throw unsupportedAuthentication();
  const reader = new QueryReader(query, USER_SELECTION_PARAMETERS);
  const selection = readUserSelection(reader);
  reader.assertValid();
  const user = store.user(caller.userId);
  return ok(user ? { data: renderUser(user, selection.userFields) } : { errors: [notFound('user', 'id', caller.userId)] });
};
