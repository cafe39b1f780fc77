/**
 * The four subgraphs of the public federation gateways benchmark (accounts, inventory, products, reviews),
 * as Apollo Federation v2 subgraphs.
 */
import { inventory, products, reviews, users, type Product, type Review, type User } from './data.ts';

export interface BenchSubgraph {
  name: string;
  typeDefs: string;
  resolvers: Record<string, Record<string, unknown>>;
}

const link = (imports: string[]) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [${imports.map((i) => `"${i}"`).join(', ')}])`;

const userById = new Map(users.map((u) => [u.id, u]));
const productByUpc = new Map(products.map((p) => [p.upc, p]));
const reviewById = new Map(reviews.map((r) => [r.id, r]));
const reviewsByAuthor = (id: string) => reviews.filter((r) => r.authorId === id);
const reviewsByProduct = (upc: string) => reviews.filter((r) => r.productUpc === upc);

const accounts: BenchSubgraph = {
  name: 'accounts',
  typeDefs: `${link(['@key', '@shareable'])}
    type User @key(fields: "id") {
      id: ID!
      name: String
      username: String @shareable
      birthday: Int
    }
    type Query {
      me: User
      users: [User]
      user(id: ID!): User
    }`,
  resolvers: {
    Query: {
      me: () => users[0],
      users: () => users,
      user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null,
    },
    User: {
      __resolveReference: (ref: { id: string }) => userById.get(ref.id) ?? null,
    },
  },
};

const inventorySubgraph: BenchSubgraph = {
  name: 'inventory',
  typeDefs: `${link(['@key', '@external', '@requires'])}
    type Product @key(fields: "upc") {
      upc: String!
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }`,
  resolvers: {
    Product: {
      __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({ ...ref, ...inventory.get(ref.upc) }),
      // Free for expensive items, otherwise an estimate from the weight.
      shippingEstimate: (p: { price?: number; weight?: number }) => (p.price === undefined || p.weight === undefined ? null : p.price > 1000 ? 0 : Math.round(p.weight * 0.5)),
    },
  },
};

const productsSubgraph: BenchSubgraph = {
  name: 'products',
  typeDefs: `${link(['@key'])}
    type Product @key(fields: "upc") {
      upc: String!
      name: String
      price: Int
      weight: Int
    }
    type Query {
      topProducts(first: Int = 5): [Product]
    }`,
  resolvers: {
    Query: {
      topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => productByUpc.get(ref.upc) ?? null,
    },
  },
};

const reviewsSubgraph: BenchSubgraph = {
  name: 'reviews',
  typeDefs: `${link(['@key', '@external', '@provides'])}
    type Review @key(fields: "id") {
      id: ID!
      body: String
      product: Product
      author: User @provides(fields: "username")
    }
    type User @key(fields: "id") {
      id: ID!
      username: String @external
      reviews: [Review]
    }
    type Product @key(fields: "upc") {
      upc: String!
      reviews: [Review]
    }`,
  resolvers: {
    Review: {
      __resolveReference: (ref: { id: string }) => reviewById.get(ref.id) ?? null,
      product: (review: Review) => ({ __typename: 'Product', upc: review.productUpc }),
      author: (review: Review) => {
        const author = userById.get(review.authorId) as User;
        return { __typename: 'User', id: author.id, username: author.username };
      },
    },
    User: {
      __resolveReference: (ref: { id: string }) => ref,
      reviews: (user: { id: string }) => reviewsByAuthor(user.id),
    },
    Product: {
      __resolveReference: (ref: { upc: string }) => ref,
      reviews: (product: Pick<Product, 'upc'>) => reviewsByProduct(product.upc),
    },
  },
};

export const benchSubgraphs: readonly BenchSubgraph[] = [accounts, inventorySubgraph, productsSubgraph, reviewsSubgraph];
