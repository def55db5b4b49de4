const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 ** 2,
  mb: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1024 ** 3,
};

/** "32mb", "8388608", "1gb" (any case): Redis's memory units; null when not one. */
export function parseMemory(text: string): number | null {
  const match = /^(-?\d+)([a-z]*)$/i.exec(text);
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  return match && unit !== undefined ? Number(match[1]) * unit : null;
}
