/**
 * The benchmark's data: five users, five products, ten reviews with long, deterministic bodies, sized so
 * that the deep query's response is about 85 KB (each body appears 100 times in it).
 */

export interface User {
  id: string;
  name: string;
  username: string;
  birthday: number;
}

export interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

export interface Review {
  id: string;
  body: string;
  authorId: string;
  productUpc: string;
}

export const REVIEW_BODY_CHARS = Number(process.env['BENCH_REVIEW_BODY_CHARS'] ?? 720);

export const users: readonly User[] = [
  { id: '1', name: 'Ada Lovelace', username: '@ada', birthday: 1815 },
  { id: '2', name: 'Alan Turing', username: '@complete', birthday: 1912 },
  { id: '3', name: 'Grace Hopper', username: '@grace', birthday: 1906 },
  { id: '4', name: 'Edsger Dijkstra', username: '@ewd', birthday: 1930 },
  { id: '5', name: 'Barbara Liskov', username: '@substitution', birthday: 1939 },
];

export const products: readonly Product[] = [
  { upc: '1', name: 'Table', price: 899, weight: 100 },
  { upc: '2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: '3', name: 'Chair', price: 54, weight: 50 },
  { upc: '4', name: 'Lamp', price: 120, weight: 8 },
  { upc: '5', name: 'Rug', price: 310, weight: 20 },
];

export const inventory: ReadonlyMap<string, { inStock: boolean }> = new Map(products.map((p, i) => [p.upc, { inStock: i % 3 !== 1 }]));

const WORDS = (
  'sturdy comfortable delivered quickly assembled within minutes solid oak finish matches living room perfectly ' +
  'cushions hold their shape after months legs wobble slightly on tiles fabric resists stains colour faded ' +
  'little in sunlight customer service answered promptly packaging was generous instructions were clear ' +
  'would recommend to friends value for money exceeded expectations screws included spare parts arrived'
).split(' ');

/** Deterministic text of `length` characters: a linear congruential generator picks the words. */
export function reviewBody(seed: number, length: number): string {
  let state = (seed * 2654435761) >>> 0;
  const parts: string[] = [`Review ${seed}:`];
  let size = parts[0]!.length;
  while (size < length) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const word = WORDS[state % WORDS.length]!;
    parts.push(word);
    size += word.length + 1;
  }
  return parts.join(' ').slice(0, length);
}

/** Review i: author i mod 5, product (2i+1) mod 5, so every user and every product has two reviews. */
export const reviews: readonly Review[] = Array.from({ length: 10 }, (_, i) => ({
  id: String(i + 1),
  body: reviewBody(i + 1, REVIEW_BODY_CHARS),
  authorId: users[i % users.length]!.id,
  productUpc: products[(2 * i + 1) % products.length]!.upc,
}));
