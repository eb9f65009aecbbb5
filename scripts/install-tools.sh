#!/usr/bin/env bash
# Installs the real Go-built tools that the end-to-end tests drive, each at a pinned version, into
# ${KUBEMEND_TOOLS_DIR:-$HOME/.cache/kubemend-tools}/bin (test/support/tools.ts looks there).
# Idempotent: a tool whose binary and version stamp are already there is skipped, so a second run takes a second.
set -euo pipefail

TOOLS_DIR="${KUBEMEND_TOOLS_DIR:-$HOME/.cache/kubemend-tools}"
BIN_DIR="$TOOLS_DIR/bin"
mkdir -p "$BIN_DIR"

command -v go >/dev/null || { echo "install-tools: Go is needed (go install); install Go 1.26 or newer" >&2; exit 1; }

# kubeaudit's last release line is v0.22; v0.22.2 is its newest tag the module proxy serves.
KUBEAUDIT_VERSION=v0.22.2
# Newer releases (kustomize v5.8.3, helm after v3.22.0) need a Go newer than this machine's 1.26.
KUSTOMIZE_VERSION=v5.8.2
HELM_VERSION=v3.22.0

# go prints a line per module it downloads: keep that in a log, shown only when a build fails.
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
quietly() {
  "$@" >>"$LOG" 2>&1 || { cat "$LOG" >&2; echo "install-tools: failed: $*" >&2; exit 1; }
}

is_installed() { # name version
  [ -x "$BIN_DIR/$1" ] && [ "$(cat "$BIN_DIR/.$1.version" 2>/dev/null)" = "$2" ]
}

stamp() { # name version
  echo "$2" >"$BIN_DIR/.$1.version"
  echo "$1 $2: installed in $BIN_DIR/$1"
}

# go install builds into a private GOBIN first, so a failed build never leaves a half-installed tool behind.
install_with_go_install() { # name package version binary-name-go-gives
  local name=$1 package=$2 version=$3 built=$4 gobin
  if is_installed "$name" "$version"; then echo "$name $version: already installed"; return; fi
  gobin=$(mktemp -d)
  GOBIN="$gobin" quietly go install "$package@$version"
  mv "$gobin/$built" "$BIN_DIR/$name"
  rm -rf "$gobin"
  stamp "$name" "$version"
}

# `go install github.com/Shopify/kubeaudit/cmd@v0.22.2` fails here: before building, go install asks the proxy for the
# module's version list (to look for a deprecation notice) and the proxy refuses that list for kubeaudit. So download
# that exact version (checked against the checksum database) and build its ./cmd with the module's own go.sum: the
# same source and dependencies go install would use.
install_kubeaudit() {
  local version=$KUBEAUDIT_VERSION module=github.com/Shopify/kubeaudit json dir
  if is_installed kubeaudit "$version"; then echo "kubeaudit $version: already installed"; return; fi
  json=$(go mod download -json "$module@$version" 2>>"$LOG") || {
    echo "$json" >&2
    cat "$LOG" >&2
    echo "install-tools: go mod download $module@$version failed" >&2
    exit 1
  }
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")
  [ -n "$dir" ] || { echo "install-tools: go mod download $module@$version gave no directory" >&2; exit 1; }
  (cd "$dir" && quietly go build -trimpath -o "$BIN_DIR/kubeaudit.tmp" ./cmd)
  mv "$BIN_DIR/kubeaudit.tmp" "$BIN_DIR/kubeaudit"
  stamp kubeaudit "$version"
}

install_kubeaudit
install_with_go_install kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" kustomize
install_with_go_install helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" helm
