/**
 * Normalizers for replies that differ by nature between two servers (timestamps, ids, ports,
 * memory figures). A masked value must still have its format (integer, float with N decimals,
 * word...) and is replaced by the format's name, so field names, their order, formats and the
 * RESP framing are still compared byte for byte.
 */

/** The shape a volatile value must have; a masked value shows as `<name>`. */
export interface ValueFormat {
  readonly name: string;
  readonly pattern: RegExp;
}

export const Formats = {
  integer: { name: 'integer', pattern: /^-?\d+$/ },
  float2: { name: 'float2', pattern: /^-?\d+\.\d{2}$/ },
  float3: { name: 'float3', pattern: /^-?\d+\.\d{3}$/ },
  float6: { name: 'float6', pattern: /^\d+\.\d{6}$/ },
  percent: { name: 'percent', pattern: /^\d+\.\d{2}%$/ },
  /** bytesToHuman: 512B, 1.50K, 20.00M... */
  humanBytes: { name: 'human-bytes', pattern: /^(\d+B|\d+\.\d{2}[KMGTPE])$/ },
  hex40: { name: 'hex40', pattern: /^[0-9a-f]{40}$/ },
  word: { name: 'word', pattern: /^[\w.-]+$/ },
  version: { name: 'version', pattern: /^\d+\.\d+\.\d+$/ },
  text: { name: 'text', pattern: /^[^\r\n]*$/ },
  path: { name: 'path', pattern: /^\/\S*$/ },
  address: { name: 'address', pattern: /^[\d.]+:\d+$/ },
} satisfies Record<string, ValueFormat>;

export function mask(value: string, format: ValueFormat): string {
  return format.pattern.test(value) ? `<${format.name}>` : `<not ${format.name}: ${value}>`;
}

/**
 * Applies `transform` to the text of every bulk ($) and verbatim (=) string of a reply (INFO's
 * text, or CLIENT INFO's inside EXEC's array), checking each declared length on the way, and
 * frames the results again with their own lengths.
 */
export function inText(transform: (text: string) => string): (reply: string) => string {
  return (reply) => {
    let result = '';
    let at = 0;
    while (at < reply.length) {
      const end = reply.indexOf('\r\n', at);
      if (end === -1) return `<bad frame> ${reply}`;
      const header = reply.slice(at, end);
      at = end + 2;
      const kind = header[0];
      const length = kind === '$' || kind === '=' ? Number(header.slice(1)) : -1;
      if (length < 0) {
        result += `${header}\r\n`;
        continue;
      }
      const text = reply.slice(at, at + length);
      if (reply.slice(at + length, at + length + 2) !== '\r\n') return `<bad frame> ${reply}`;
      at += length + 2;
      const framed = kind === '=' ? text.slice(0, 4) + transform(text.slice(4)) : transform(text);
      result += `${kind}${framed.length}\r\n${framed}\r\n`;
    }
    return result;
  };
}

/**
 * `field=value` pairs separated by `separator` (CLIENT LIST's spaces, INFO's commas), with the
 * values of the listed fields masked.
 */
export function maskPairs(
  text: string,
  separator: string,
  masks: Readonly<Record<string, ValueFormat>>,
): string {
  return text
    .split(separator)
    .map((pair) => {
      const equals = pair.indexOf('=');
      const format = equals === -1 ? undefined : masks[pair.slice(0, equals)];
      return format === undefined
        ? pair
        : `${pair.slice(0, equals + 1)}${mask(pair.slice(equals + 1), format)}`;
    })
    .join(separator);
}

export interface InfoMasks {
  /** Fields whose whole value is masked. */
  readonly fields: Readonly<Record<string, ValueFormat>>;
  /** For fields named with a prefix (cmdstat_, db0...), the masked `key=value` parts. */
  readonly parts: ReadonlyArray<readonly [prefix: RegExp, Readonly<Record<string, ValueFormat>>]>;
  /** Sections whose lines come from a hash table walk, in no defined order: compared sorted. */
  readonly unordered: readonly string[];
}

/** Normalizes INFO's text: masked fields and parts, unordered sections sorted. */
export function maskInfo(masks: InfoMasks): (reply: string) => string {
  return inText((text) =>
    text
      .split('\r\n\r\n')
      .map((section) => {
        const lines = section.split('\r\n').map((line) => maskInfoLine(line, masks));
        const title = lines[0];
        if (masks.unordered.some((name) => title === `# ${name}`)) {
          const last = lines.at(-1) === '' ? [''] : [];
          const fields = lines.slice(1, lines.length - last.length).sort();
          return [title, ...fields, ...last].join('\r\n');
        }
        return lines.join('\r\n');
      })
      .join('\r\n\r\n'),
  );
}

function maskInfoLine(line: string, masks: InfoMasks): string {
  const colon = line.indexOf(':');
  if (line.startsWith('#') || colon === -1) return line;
  const field = line.slice(0, colon);
  const value = line.slice(colon + 1);
  const format = masks.fields[field];
  if (format !== undefined) return `${field}:${mask(value, format)}`;
  for (const [prefix, parts] of masks.parts) {
    if (prefix.test(field)) return `${field}:${maskPairs(value, ',', parts)}`;
  }
  return line;
}

/** CLIENT LIST / CLIENT INFO: one line per client, listed fields masked. */
export function maskClientList(masks: Readonly<Record<string, ValueFormat>>) {
  return inText((text) =>
    text
      .split('\n')
      .map((line) => maskPairs(line, ' ', masks))
      .join('\n'),
  );
}

/** An integer reply, masked. */
export function maskInteger(reply: string): string {
  const match = /^:(-?\d+)\r\n$/.exec(reply);
  return match === null ? reply : ':<integer>\r\n';
}

/**
 * A flat array or map of bulk strings taken as name/value pairs (CONFIG GET), sorted by name
 * since Redis walks a hash table, with the values of `masked` names masked.
 */
export function sortedPairs(masked: Readonly<Record<string, ValueFormat>>) {
  return (reply: string): string => {
    const lines = reply.split('\r\n');
    const pairs: Array<[name: string, shown: string]> = [];
    for (let i = 1; i + 3 < lines.length; i += 4) {
      const [name, valueHeader, value] = [lines[i + 1], lines[i + 2], lines[i + 3]];
      const format = masked[name];
      const shown = format === undefined ? `${valueHeader} ${value}` : mask(value, format);
      pairs.push([name, `${lines[i]} ${name} ${shown}`]);
    }
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return [lines[0], ...pairs.map(([, shown]) => shown)].join('\n');
  };
}

/**
 * A flat array or set of bulk strings and integers (SMEMBERS, KEYS) with its elements sorted:
 * where Redis walks a hash table, the order is its own. Anything else is left as it is.
 */
export function sortedElements(reply: string): string {
  const match = /^([*~])(\d+)\r\n/.exec(reply);
  if (match === null) return reply;
  const elements: string[] = [];
  let at = match[0].length;
  for (let i = 0; i < Number(match[2]); i++) {
    const end = reply.indexOf('\r\n', at);
    const header = reply.slice(at, end + 2);
    const length = header[0] === '$' ? Number(header.slice(1, -2)) + 2 : 0;
    elements.push(reply.slice(at, end + 2 + length));
    at = end + 2 + length;
  }
  if (at !== reply.length) return reply;
  return match[0] + elements.sort().join('');
}
