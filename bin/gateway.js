#!/usr/bin/env -S node --max-semi-space-size=64
// The `gateway` executable, with no build step. Where Node strips TypeScript types itself (22.18+, 23.6+; the
// code is written in erasable syntax only), it runs the TypeScript entry directly, starting about half a
// second sooner; older Nodes load it through tsx. The larger young generation (64 MiB semi-spaces, V8's
// default is 16): nearly all the gateway allocates per operation dies young, but with many operations in
// flight a small one promotes it to the old generation (see README).
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import('./gateway.ts');
