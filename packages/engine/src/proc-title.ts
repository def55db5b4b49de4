/** What a process title's template can read: the config, and the config file's path. */
export interface ProcTitleSource {
  get(name: string): string;
}

/**
 * Expands a template's `{name}` variables with `value` (null for a name it does not know) and
 * `{{` as a literal brace, as Redis's sdstemplate; null for an unknown name or a brace left open.
 */
export function expandTemplate(
  template: string,
  value: (name: string) => string | null,
): string | null {
  let result = '';
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{', at);
    if (open < 0) return result + template.slice(at);
    result += template.slice(at, open);
    if (open + 1 >= template.length) return null;
    if (template[open + 1] === '{') {
      result += '{';
      at = open + 2;
      continue;
    }
    const close = template.indexOf('}', open + 1);
    if (close < 0) return null;
    const expanded = value(template.slice(open + 1, close));
    if (expanded === null) return null;
    result += expanded;
    at = close + 1;
  }
  return result;
}

/** proc-title-template's variables (redisProcTitleGetVariable), from `config`. */
function variable(
  name: string,
  title: string,
  config: ProcTitleSource,
  configFile: string,
): string | null {
  const port = Number(config.get('port'));
  const tlsPort = Number(config.get('tls-port'));
  switch (name) {
    case 'title':
      return title;
    case 'listen-addr': {
      if (port === 0 && tlsPort === 0) return `unixsocket:${config.get('unixsocket')}`;
      const first =
        config
          .get('bind')
          .split(' ')
          .find((address) => address !== '') ?? '*';
      return `${first}:${port !== 0 ? port : tlsPort}`;
    }
    case 'server-mode':
      return config.get('cluster-enabled') === 'yes' ? '[cluster]' : '';
    case 'config-file':
      return configFile;
    case 'port':
      return String(port);
    case 'tls-port':
      return String(tlsPort);
    case 'unixsocket':
      return config.get('unixsocket');
    default:
      return null;
  }
}

/** The process title `template` makes, trimmed of spaces; null when it cannot be expanded. */
export function procTitle(
  template: string,
  title: string,
  config: ProcTitleSource,
  configFile: string | null,
): string | null {
  const expanded = expandTemplate(template, (name) =>
    variable(name, title, config, configFile ?? '-'),
  );
  return expanded === null ? null : expanded.replace(/^ +| +$/g, '');
}

/** Redis's check of a new proc-title-template: it expands, to something, with an empty title. */
export function procTitleTemplateProblem(template: string, config: ProcTitleSource): string | null {
  const title = procTitle(template, '', config, null);
  return title === null || title === ''
    ? 'template format is invalid or contains unknown variables'
    : null;
}
