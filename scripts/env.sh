# Sourced by the scripts: puts cargo's and npm's tools on PATH (wasm-opt from npm binaryen 132).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
