#!/usr/bin/env -S node --max-semi-space-size=64
// The `gateway` executable: loads the TypeScript entry through tsx, so no build step is needed. The larger
// young generation (64 MiB semi-spaces, V8's default is 16): nearly all the gateway allocates per operation
// dies young, but with many operations in flight a small one promotes it to the old generation (see README).
import { register } from 'tsx/esm/api';

register();
await import('./gateway.ts');
