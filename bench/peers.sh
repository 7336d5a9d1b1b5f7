#!/usr/bin/env bash
# Installs the servers Eddy is benchmarked against into bench/.peers/ (gitignored), using npm only:
#   dynamodb-local  DynamoDB Local 1.25.1, shipped inside the amplify-dynamodb-simulator package
#   dynoxide        the static Linux binary from @dynoxide/linux-x64
#   dynalite        the dynalite package, run with node
# Usage: bench/peers.sh [all|dynamodb-local|dynoxide|dynalite]...   (default: all)
# Idempotent: a peer whose expected version is already installed is left alone.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERS_DIR="${EDDY_PEERS_DIR:-$BENCH_DIR/.peers}"

# amplify-dynamodb-simulator 2.9.30 is the release found to carry DynamoDB Local 1.25.1
# (checked with: unzip -p emulator/DynamoDBLocal.jar META-INF/maven/.../pom.properties).
AMPLIFY_SIMULATOR_VERSION="${AMPLIFY_SIMULATOR_VERSION:-2.9.30}"
DYNAMODB_LOCAL_VERSION="1.25.1"
DYNOXIDE_VERSION="${DYNOXIDE_VERSION:-1.2.1}"
DYNALITE_VERSION="${DYNALITE_VERSION:-4.0.0}"

log() { echo "peers: $*" >&2; }

# Runs npm quietly; its "Unknown user config" warnings are noise here.
npm_quiet() { npm --no-audit --no-fund --loglevel=error "$@"; }

# Downloads one package tarball into a fresh scratch directory and prints that directory.
npm_unpack() {
  local spec="$1" scratch tarball
  scratch="$(mktemp -d "$PEERS_DIR/.unpack.XXXXXX")"
  tarball="$(cd "$scratch" && npm_quiet pack "$spec" 2>/dev/null | tail -n 1)"
  tar -xzf "$scratch/$tarball" -C "$scratch"
  rm -f "$scratch/$tarball"
  echo "$scratch"
}

jar_version() {
  unzip -p "$1" META-INF/maven/com/amazonaws/DynamoDBLocal/pom.properties 2>/dev/null |
    sed -n 's/^version=//p' | tr -d '\r'
}

install_dynamodb_local() {
  local target="$PEERS_DIR/dynamodb-local" scratch found
  if [[ -f "$target/DynamoDBLocal.jar" &&
    "$(jar_version "$target/DynamoDBLocal.jar")" == "$DYNAMODB_LOCAL_VERSION" ]]; then
    log "dynamodb-local $DYNAMODB_LOCAL_VERSION already installed"
    return
  fi
  log "fetching amplify-dynamodb-simulator@$AMPLIFY_SIMULATOR_VERSION (about 56 MB)"
  scratch="$(npm_unpack "amplify-dynamodb-simulator@$AMPLIFY_SIMULATOR_VERSION")"
  found="$(jar_version "$scratch/package/emulator/DynamoDBLocal.jar")"
  if [[ "$found" != "$DYNAMODB_LOCAL_VERSION" ]]; then
    rm -rf "$scratch"
    log "amplify-dynamodb-simulator@$AMPLIFY_SIMULATOR_VERSION ships DynamoDB Local '$found'," \
      "not $DYNAMODB_LOCAL_VERSION"
    log "pick another release: npm view amplify-dynamodb-simulator versions"
    return 1
  fi
  rm -rf "$target"
  mv "$scratch/package/emulator" "$target"
  rm -rf "$scratch"
  log "dynamodb-local $found installed in $target"
}

install_dynoxide() {
  local target="$PEERS_DIR/dynoxide" scratch
  if [[ -x "$target/dynoxide" ]] &&
    "$target/dynoxide" --version 2>/dev/null | grep -q " $DYNOXIDE_VERSION\$"; then
    log "dynoxide $DYNOXIDE_VERSION already installed"
    return
  fi
  log "fetching @dynoxide/linux-x64@$DYNOXIDE_VERSION"
  scratch="$(npm_unpack "@dynoxide/linux-x64@$DYNOXIDE_VERSION")"
  mkdir -p "$target"
  mv "$scratch/package/dynoxide" "$target/dynoxide"
  chmod +x "$target/dynoxide"
  rm -rf "$scratch"
  log "$("$target/dynoxide" --version) installed in $target"
}

install_dynalite() {
  local target="$PEERS_DIR/dynalite" installed=""
  if [[ -f "$target/node_modules/dynalite/package.json" ]]; then
    installed="$(node -p "require('$target/node_modules/dynalite/package.json').version")"
  fi
  if [[ "$installed" == "$DYNALITE_VERSION" ]]; then
    log "dynalite $DYNALITE_VERSION already installed"
    return
  fi
  log "installing dynalite@$DYNALITE_VERSION"
  mkdir -p "$target"
  [[ -f "$target/package.json" ]] || echo '{"private":true}' >"$target/package.json"
  # --ignore-scripts: the only install script is the LevelDB native build, which the in-memory
  # mode used for benchmarking never loads.
  (cd "$target" && npm_quiet install --ignore-scripts "dynalite@$DYNALITE_VERSION" >/dev/null)
  log "dynalite $DYNALITE_VERSION installed in $target"
}

main() {
  command -v npm >/dev/null || { log "npm is required"; exit 1; }
  mkdir -p "$PEERS_DIR"
  local wanted=("$@")
  [[ ${#wanted[@]} -gt 0 ]] || wanted=(all)
  local status=0 peer
  for peer in "${wanted[@]}"; do
    case "$peer" in
      all)
        install_dynamodb_local || status=1
        install_dynoxide || status=1
        install_dynalite || status=1
        ;;
      dynamodb-local) install_dynamodb_local || status=1 ;;
      dynoxide) install_dynoxide || status=1 ;;
      dynalite) install_dynalite || status=1 ;;
      *) log "unknown peer '$peer' (all|dynamodb-local|dynoxide|dynalite)"; status=2 ;;
    esac
  done
  rm -rf "$PEERS_DIR"/.unpack.* 2>/dev/null || true
  return $status
}

main "$@"
