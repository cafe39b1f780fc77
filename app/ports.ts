/**
 * Ports derived from the gateway's PORT, so one variable moves the whole stack: subgraph i listens on
 * PORT + 1 + i, emulator i on PORT + 11 + i. PORT=0 gives every server a free port (tests).
 */
export function derivedPort(gatewayPort: number, offset: number, index: number): number {
  return gatewayPort === 0 ? 0 : gatewayPort + offset + index;
}

export const SUBGRAPH_PORT_OFFSET = 1;
export const EMULATOR_PORT_OFFSET = 11;
