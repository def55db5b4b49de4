#!/usr/bin/env bash
# Installs rc as a Node developer would, outside the monorepo: packs every public package,
# installs the tarballs into fresh projects with npm and with pnpm (third-party dependencies
# come from the npm registry), and runs an ESM and a CommonJS program against them there
# (scripts/pack-check/), and the Jest example (apps/server/examples/jest). Any install warning
# of rc's packages fails the check. Then the release dry run:
# `pnpm release` publishes every package to a local verdaccio, and a fresh project installs
# @rc/server from it and starts `npx rc-server`. PACK_CHECK_RELEASE=0 skips the dry run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
pnpm_cli=(npx --yes pnpm@10.20.0)
export NPM_CONFIG_UPDATE_NOTIFIER=false
work=$(mktemp -d "${TMPDIR:-/tmp}/rc-pack-check.XXXXXX")
registry_pid=
cleanup() {
  # The whole group: npx runs verdaccio as a child, which outlived a kill of npx alone.
  if [ -n "$registry_pid" ]; then kill -- "-$registry_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"${pnpm_cli[@]}" build >/dev/null

# Every package not marked private, as name=directory.
mapfile -t public < <(node -e '
  const fs = require("node:fs");
  for (const root of ["packages", "apps"])
    for (const dir of fs.readdirSync(root)) {
      const file = `${root}/${dir}/package.json`;
      if (!fs.existsSync(file)) continue;
      const json = JSON.parse(fs.readFileSync(file, "utf8"));
      if (json.private !== true) console.log(`${json.name}=${root}/${dir}`);
    }')
mkdir -p "$work/tarballs"
for entry in "${public[@]}"; do
  (cd "${entry#*=}" && "${pnpm_cli[@]}" pack --pack-destination "$work/tarballs" >/dev/null)
done
echo "packed: $(cd "$work/tarballs" && echo *)"

# Points a project's @rc/* dependencies at the tarballs, and through overrides the packages'
# dependencies on each other too, with npm and with pnpm alike. With --all, the project
# depends on every package.
use_tarballs() {
  node -e '
    const fs = require("node:fs");
    const [dir, tarballs, all, ...entries] = process.argv.slice(1);
    const local = {};
    for (const entry of entries) {
      const name = entry.split("=")[0];
      const file = fs.readdirSync(tarballs).find((f) => f.startsWith(name.slice(1).replace("/", "-") + "-"));
      local[name] = `file:${tarballs}/${file}`;
    }
    const project = JSON.parse(fs.readFileSync(`${dir}/package.json`, "utf8"));
    for (const field of ["dependencies", "devDependencies"])
      for (const name of Object.keys(project[field] ?? {}))
        if (name in local) project[field][name] = local[name];
    if (all === "--all") project.dependencies = { ...project.dependencies, ...local };
    project.overrides = local;
    project.pnpm = { overrides: local };
    fs.writeFileSync(`${dir}/package.json`, JSON.stringify(project, null, 2));
  ' "$1" "$work/tarballs" "${2:-}" "${public[@]}"
}

# A fresh project depending on every tarball, with the smoke programs.
new_project() {
  local dir=$1
  mkdir -p "$dir"
  cp scripts/pack-check/*.mjs scripts/pack-check/*.cjs "$dir"
  local ioredis
  ioredis=$(node -p "require('./apps/server/package.json').devDependencies.ioredis")
  printf '{ "name": "rc-pack-check", "private": true, "type": "module", "dependencies": { "ioredis": "%s" } }\n' \
    "$ioredis" >"$dir/package.json"
  use_tarballs "$dir" --all
}

fail_on_warnings() {
  if grep -iE '(^|[^a-z])warn' "$1"; then
    echo "pack-check: $2 warned while installing the packages" >&2
    exit 1
  fi
}

smoke() {
  (cd "$1" && node smoke.mjs && node smoke.cjs)
}

new_project "$work/npm-project"
(cd "$work/npm-project" && npm install --no-audit --no-fund >"$work/npm-install.log" 2>&1) ||
  { cat "$work/npm-install.log"; exit 1; }
fail_on_warnings "$work/npm-install.log" npm
smoke "$work/npm-project"

# The Jest example, installed as its README says, its @rc/server from the tarballs. Its own
# third-party dependencies (Jest's) may warn: the check above is about rc's packages.
cp -r apps/server/examples/jest "$work/jest-project"
rm -rf "$work/jest-project/node_modules"
use_tarballs "$work/jest-project"
(cd "$work/jest-project" && npm install --no-audit --no-fund >"$work/jest-install.log" 2>&1) ||
  { cat "$work/jest-install.log"; exit 1; }
(cd "$work/jest-project" && npm test)

new_project "$work/pnpm-project"
(cd "$work/pnpm-project" && "${pnpm_cli[@]}" install >"$work/pnpm-install.log" 2>&1) ||
  { cat "$work/pnpm-install.log"; exit 1; }
fail_on_warnings "$work/pnpm-install.log" pnpm
smoke "$work/pnpm-project"

[ "${PACK_CHECK_RELEASE:-1}" = 0 ] && exit 0

# The release dry run: a local registry that keeps @rc/* to itself (nothing to proxy: the
# project below takes only the @rc scope from it).
port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
registry=http://127.0.0.1:$port/
mkdir -p "$work/registry"
cat >"$work/registry/config.yaml" <<YAML
storage: ./storage
auth:
  htpasswd:
    file: ./htpasswd
packages:
  '@rc/*':
    access: \$all
    publish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
YAML
(cd "$work/registry" && exec setsid npx --yes verdaccio@6.8.0 --config config.yaml --listen "127.0.0.1:$port" \
  >"$work/registry.log" 2>&1) &
registry_pid=$!
# Node's fetch rather than curl: CI machines start with Node and npm only.
token=$(node -e '
  const [registry, log] = process.argv.slice(1);
  const deadline = Date.now() + 180_000; // npx may first have to download verdaccio
  const up = () => fetch(`${registry}-/ping`).then((r) => r.ok, () => false);
  (async () => {
    while (!(await up())) {
      if (Date.now() > deadline) throw new Error(require("node:fs").readFileSync(log, "utf8"));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const response = await fetch(`${registry}-/user/org.couchdb.user:rc-release`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "rc-release", password: "rc-release-dry-run" }),
    });
    console.log((await response.json()).token);
  })();
' "$registry" "$work/registry.log")
printf '@rc:registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$registry" "$port" "$token" >"$work/npmrc"

# --no-git-tag: a dry run leaves the repository's tags alone.
NPM_CONFIG_USERCONFIG="$work/npmrc" "${pnpm_cli[@]}" release --no-git-tag
for entry in "${public[@]}"; do
  name=${entry%%=*}
  version=$(node -p "require('./${entry#*=}/package.json').version")
  NPM_CONFIG_USERCONFIG="$work/npmrc" npm view "$name@$version" version --registry "$registry" >/dev/null ||
    { echo "pack-check: $name@$version is not in the local registry" >&2; exit 1; }
done

mkdir -p "$work/registry-project"
cp scripts/pack-check/daemon-ping.mjs "$work/registry-project"
cp "$work/npmrc" "$work/registry-project/.npmrc"
cd "$work/registry-project"
echo '{ "name": "rc-from-registry", "private": true, "type": "module" }' >package.json
npm install --no-audit --no-fund @rc/server >"$work/registry-install.log" 2>&1 ||
  { cat "$work/registry-install.log"; exit 1; }
fail_on_warnings "$work/registry-install.log" 'npm (from the registry)'
node daemon-ping.mjs
cd "$repo"
echo 'pack-check: every package installs and runs'
