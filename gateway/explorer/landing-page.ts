import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

/** The page a browser gets at `/graphql`: Apollo Sandbox. */
export function explorerLandingPage<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  return ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false });
}
