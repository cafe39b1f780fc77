/**
 * The fictional customers every emulator seeds from (S3 today; Stripe, GitHub and Twitter/X later), so
 * that one identity lines up across providers: the Stripe customer `id`, the S3 prefix
 * `customers/<id>/`, the GitHub login and the Twitter/X handle all describe the same person or company.
 *
 * Fixed literals, never generated: tests and fixtures may hard-code any of these values.
 */
export interface SeedCustomer {
  /** Stripe-like customer id: `cus_` followed by 14 alphanumerics. */
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly githubLogin?: string;
  readonly twitterUsername?: string;
}

export const seedCustomers: readonly SeedCustomer[] = [
  { id: 'cus_Qm3vT8rLx2NcAe', name: 'Ada Okafor', email: 'ada.okafor@example.com', githubLogin: 'adaokafor', twitterUsername: 'ada_builds' },
  { id: 'cus_R7kPzW4hYs1DuG', name: 'Brightline Logistics', email: 'billing@brightline-logistics.example', githubLogin: 'brightline-logistics' },
  { id: 'cus_S2nJd9qFv6TbKo', name: 'Carmen Villanueva', email: 'carmen@villanueva.example', twitterUsername: 'carmenvilla' },
  { id: 'cus_T5wXa1eMg8PrHz', name: 'Dmitri Sokolov', email: 'dmitri.sokolov@example.net', githubLogin: 'dsokolov', twitterUsername: 'dmitri_codes' },
  { id: 'cus_U9bLc3yNq7WfEi', name: 'Evergreen Bakery Co.', email: 'accounts@evergreenbakery.example' },
  { id: 'cus_V4hGt6uKz0XjSa', name: 'Farah Haddad', email: 'farah.haddad@example.org', githubLogin: 'farahh' },
  { id: 'cus_W8pRm2oBd5YvLn', name: 'Granite Peak Analytics', email: 'finance@granitepeak.example', githubLogin: 'granitepeak', twitterUsername: 'granitepeakhq' },
  { id: 'cus_X1sEf7iCw3ZqMu', name: 'Hiroshi Tanaka', email: 'hiroshi.tanaka@example.jp', twitterUsername: 'hirotanaka' },
  { id: 'cus_Y6dNk4lHp9AtRe', name: 'Ingrid Larsen', email: 'ingrid.larsen@example.no', githubLogin: 'ilarsen' },
  { id: 'cus_Z3gQy8vJs2BmOw', name: 'Juniper Health', email: 'ap@juniperhealth.example' },
  { id: 'cus_A7jTu1nXr6CkPb', name: 'Kwame Mensah', email: 'kwame.mensah@example.com', githubLogin: 'kmensah', twitterUsername: 'kwamemensah' },
  { id: 'cus_B2mVo5kZt9DhFy', name: 'Lumen Studio', email: 'hello@lumenstudio.example', twitterUsername: 'lumenstudio' },
  { id: 'cus_C8qWi3fAu4EnGc', name: 'Mei Lin Chen', email: 'meilin.chen@example.com', githubLogin: 'meilinchen' },
  { id: 'cus_D4rYh7gBv1FoJx', name: 'Northwind Outfitters', email: 'billing@northwind-outfitters.example', githubLogin: 'northwind-outfitters', twitterUsername: 'northwindgear' },
  { id: 'cus_E9tZl2dCy8GpKs', name: 'Oluwaseun Adeyemi', email: 'seun.adeyemi@example.ng' },
  { id: 'cus_F5uAm6sDz3HqLd', name: 'Priya Raman', email: 'priya.raman@example.in', githubLogin: 'priyaraman', twitterUsername: 'priyaraman_dev' },
  { id: 'cus_G1vBn9pEa7IrMt', name: 'Quillfeather Press', email: 'orders@quillfeather.example' },
  { id: 'cus_H6wCo4jFb2JsNv', name: 'Rafael Souza', email: 'rafael.souza@example.br', githubLogin: 'rafasouza' },
  { id: 'cus_I3xDp8hGc5KtOq', name: 'Saltmarsh Coffee Roasters', email: 'team@saltmarshcoffee.example', twitterUsername: 'saltmarshcoffee' },
  { id: 'cus_J7yEq1kHd9LuPr', name: 'Tamsin Whitfield', email: 'tamsin.whitfield@example.co.uk', githubLogin: 'twhitfield' },
];

/**
 * Customers to create on top of the seed (as `createCustomer` inputs, without idempotency keys), linked to
 * GitHub and X accounts the seed already uses: a join over them has repeats to de-duplicate.
 */
export function secondAccountsOfLinkedCustomers(count = 5) {
  return seedCustomers
    .filter((c) => c.githubLogin && c.twitterUsername)
    .slice(0, count)
    .map((customer, i) => ({
      name: `Second account ${i}`,
      email: `second-${i}@example.com`,
      metadata: [
        { key: 'github_login', value: customer.githubLogin! },
        { key: 'twitter_username', value: customer.twitterUsername! },
      ],
    }));
}
