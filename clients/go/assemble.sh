#!/usr/bin/env bash
# Assembles the Go client module in MODULE_DIR, a build-tree directory
# (nothing it writes is committed), so that `go build -mod=vendor` builds it
# offline, with no module proxy and no go.sum:
#   - the hand-written sources of clients/go (go.mod, hsclient/, examples/);
#   - gen/: the code Debian's protoc-gen-go and protoc-gen-go-grpc generate
#     from proto/ (the .proto files have no go_package option: the M flags
#     below give each file its Go package);
#   - vendor/: a link per module go.mod requires to Debian's sources of it
#     (/usr/share/gocode/src), and the vendor/modules.txt naming them.
# Usage: assemble.sh MODULE_DIR
# Environment: PROTOC (protoc), PROTOBUF_INCLUDE (/usr/include: the
# well-known types), GOCODE (/usr/share/gocode/src).
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 MODULE_DIR" >&2; exit 2; }
module_dir=$1
source_dir=$(cd "$(dirname "$0")" && pwd)
proto_dir=$(cd "$source_dir/../../proto" && pwd)
protoc=${PROTOC:-protoc}
protobuf_include=${PROTOBUF_INCLUDE:-/usr/include}
gocode=${GOCODE:-/usr/share/gocode/src}
module=$(sed -n 's/^module \(.*\)/\1/p' "$source_dir/go.mod")

# github.com/golang/protobuf 1.3 (golang-github-golang-protobuf-1-3-dev)
# predates google.golang.org/protobuf and cannot marshal the messages
# protoc-gen-go generates today; grpc's codec goes through it.
if ! grep -q google.golang.org/protobuf "$gocode/github.com/golang/protobuf/go.mod" 2>/dev/null; then
  echo "$0: $gocode/github.com/golang/protobuf is not version 1.4 or later:" \
       "install golang-github-golang-protobuf-1-5-dev" >&2
  exit 1
fi

rm -rf "$module_dir"
mkdir -p "$module_dir/vendor"
cp "$source_dir/go.mod" "$module_dir/"
cp -r "$source_dir/hsclient" "$source_dir/examples" "$module_dir/"

# Every API file, and KEDA's external-scaler contract, each in its package.
cd "$proto_dir"
protos=(horizonscale/v1/*.proto externalscaler/externalscaler.proto)
packages=""
for proto in "${protos[@]}"; do
  case $proto in
    horizonscale/v1/*) package="$module/gen/horizonscale/v1;horizonscalev1" ;;
    externalscaler/*) package="$module/gen/externalscaler;externalscaler" ;;
  esac
  packages+=",M$proto=$package"
done
"$protoc" -I. -I"$protobuf_include" \
  --go_out="$module_dir" --go_opt="module=$module$packages" \
  --go-grpc_out="$module_dir" --go-grpc_opt="module=$module$packages" "${protos[@]}"

# go.mod's requirements ("<tab>path version" lines), each linked to Debian's
# sources and listed with the Go version its own go.mod declares (the
# language version its packages are compiled with).
sed -n 's/^\t\([^ ]*\) \(v[^ ]*\).*/\1 \2/p' "$source_dir/go.mod" |
  while read -r path version; do
    [[ -d $gocode/$path ]] || { echo "$0: $gocode/$path is missing (Debian's sources of $path)" >&2; exit 1; }
    mkdir -p "$module_dir/vendor/$(dirname "$path")"
    ln -s "$gocode/$path" "$module_dir/vendor/$path"
    go_version=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gocode/$path/go.mod" 2>/dev/null)
    echo "# $path $version"
    echo "## explicit${go_version:+; go $go_version}"
  done >"$module_dir/vendor/modules.txt"
