import { CONFIG_DEFAULTS } from './config-defaults.js';
import { globMatch } from './glob.js';

export type ConfigListener = (name: string, value: string) => void;

/**
 * The server's configuration: every Redis 7.0 parameter by lower-case name. Values are kept as
 * Redis prints them; subsystems that act on a parameter subscribe to its changes.
 */
export class Config {
  private readonly values = new Map<string, string>(CONFIG_DEFAULTS);
  private readonly listeners = new Map<string, ConfigListener[]>();

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  get(name: string): string {
    return this.values.get(name.toLowerCase()) ?? '';
  }

  getNumber(name: string): number {
    return Number(this.get(name));
  }

  /** Sets a known parameter; returns false when the name is unknown. */
  set(name: string, value: string): boolean {
    const key = name.toLowerCase();
    if (!this.values.has(key)) return false;
    this.values.set(key, value);
    for (const listener of this.listeners.get(key) ?? []) listener(key, value);
    return true;
  }

  onChange(name: string, listener: ConfigListener): void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener);
    this.listeners.set(name, list);
  }

  /** Name/value pairs whose name matches the glob, in Redis's order (as stored). */
  matching(pattern: string): Array<[string, string]> {
    const lower = pattern.toLowerCase();
    const exact = this.values.get(lower);
    if (exact !== undefined) return [[lower, exact]];
    const result: Array<[string, string]> = [];
    for (const [name, value] of this.values) {
      if (globMatch(lower, name, true)) result.push([name, value]);
    }
    return result;
  }
}
