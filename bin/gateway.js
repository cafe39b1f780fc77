#!/usr/bin/env -S node --max-semi-space-size=64
// The `gateway` executable, with no build step: TypeScript through Node's own type stripping where it has it
// (starting about half a second sooner than through tsx), tsx otherwise (load-typescript.js). The larger young
// generation (64 MiB semi-spaces, V8's default is 16): nearly all the gateway allocates per operation dies
// young, but with many operations in flight a small one promotes it to the old generation (see README).
await import('./load-typescript.js');
await import('./gateway.ts');
