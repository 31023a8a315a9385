#!/usr/bin/env bash
# Reassembles, checks and unpacks mtlj GPU bundle archives on the host:
#   unpack.sh PARTS_DIR DEST
# PARTS_DIR holds NAME.tar.xz.partNN files and NAME.sha256 lists (from bundle.sh); every archive found there is
# checked against its list, then unpacked into DEST (the natives and the app archive land in DEST/mtlj-gpu).
# Needs only coreutils, tar and xz (or python3 when xz is missing).
set -euo pipefail
if [ $# -ne 2 ]; then echo "usage: unpack.sh PARTS_DIR DEST" >&2; exit 2; fi
src=$1; dest=$2
mkdir -p "$dest"
shopt -s nullglob
lists=("$src"/*.sha256)
if [ ${#lists[@]} -eq 0 ]; then echo "unpack.sh: no *.sha256 part list in '$src'" >&2; exit 2; fi
for list in "${lists[@]}"; do
  name=$(basename "$list" .sha256)
  (cd "$src" && sha256sum --quiet -c "$name.sha256") || { echo "unpack.sh: parts of '$name' are missing or damaged" >&2; exit 2; }
  if command -v xz >/dev/null; then
    cat "$src/$name".tar.xz.part* | xz -d | tar -C "$dest" -xf -
  else
    cat "$src/$name".tar.xz.part* | python3 -c 'import lzma,sys,shutil; shutil.copyfileobj(lzma.open(sys.stdin.buffer), sys.stdout.buffer)' \
      | tar -C "$dest" -xf -
  fi
  echo "unpacked $name into $dest/mtlj-gpu"
done
# First start: JavaCPP extracts the natives (~870 MB for the GPU build) into mtlj-gpu/cache; do it here, once, and
# show what the installation sees.
if [ -x "$dest/mtlj-gpu/bin/mtlj" ] && ls "$dest"/mtlj-gpu/lib/pytorch-*-gpu.jar >/dev/null 2>&1; then
  "$dest/mtlj-gpu/bin/mtlj" info
fi
