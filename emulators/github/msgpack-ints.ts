/**
 * The sliver of MessagePack GitHub's identifiers are made of: a fixed-size array of non-negative
 * integers. New-style node ids (`U_kgDOAnU81w`) are a type prefix plus base64url(msgpack([0, id])), and
 * cursors (`Y3Vyc29yOnYyOpED`) are base64("cursor:v2:" + msgpack([position])).
 */
export function encodeIntArray(values: readonly number[]): Buffer {
  if (values.length > 15) throw new RangeError('only fixarrays (up to 15 items) are supported');
  const parts: Buffer[] = [Buffer.from([0x90 | values.length])];
  for (const value of values) parts.push(encodeUint(value));
  return Buffer.concat(parts);
}

/** The integers of a fixarray, or undefined when `bytes` is anything else. */
export function decodeIntArray(bytes: Buffer): number[] | undefined {
  const header = bytes[0];
  if (header === undefined || (header & 0xf0) !== 0x90) return undefined;
  const values: number[] = [];
  let offset = 1;
  for (let i = 0; i < (header & 0x0f); i++) {
    const tag = bytes[offset];
    if (tag === undefined) return undefined;
    const width = tag <= 0x7f ? 0 : tag === 0xcc ? 1 : tag === 0xcd ? 2 : tag === 0xce ? 4 : -1;
    if (width < 0 || offset + 1 + width > bytes.length) return undefined;
    values.push(width === 0 ? tag : bytes.readUIntBE(offset + 1, width));
    offset += 1 + width;
  }
  return offset === bytes.length ? values : undefined;
}

function encodeUint(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError(`unsupported integer ${value}`);
  if (value <= 0x7f) return Buffer.from([value]);
  if (value <= 0xff) return Buffer.from([0xcc, value]);
  const width = value <= 0xffff ? 2 : 4;
  const buffer = Buffer.alloc(1 + width);
  buffer[0] = width === 2 ? 0xcd : 0xce;
  buffer.writeUIntBE(value, 1, width);
  return buffer;
}
