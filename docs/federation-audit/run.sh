#!/bin/sh
# For the federation gateway audit (github.com/graphql-hive/federation-gateway-audit): copy this folder to
# the audit's gateways/<name>/. The audit runs this once per test suite from that folder: it fetches the
# suite's supergraph, then our gateway serves it on port 4000. FEDERATION_GATEWAY: this repository's path
# (after npm ci). The suites' root fields have no access rules of ours, hence --default-access public.
set -e
npm start supergraph -- --cwd "./gateways/$(basename "$PWD")" --test "$1"
SUPERGRAPH="$PWD/supergraph.graphql"
cd "${FEDERATION_GATEWAY:?set FEDERATION_GATEWAY to the path of this repository}"
exec node --max-semi-space-size=64 bin/gateway.js --supergraph "$SUPERGRAPH" --port 4000 --default-access public
