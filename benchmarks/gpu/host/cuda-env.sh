# Sourced by the bundle's launchers: puts the host's CUDA 13, cuDNN 9 and NCCL 2 libraries on LD_LIBRARY_PATH.
# libtorch_cuda.so of the GPU natives needs (ldd NEEDED): libcudart.so.13 libcublas.so.13 libcublasLt.so.13
# libcusparse.so.12 libcufft.so.12 libcurand.so.10 libcufile.so.0 libnccl.so.2 libcudnn.so.9 (and, through
# them, libnvJitLink.so.13 and cuDNN's sub-libraries). Searched, first hit wins:
#   1. MTLJ_CUDA_LIBS (colon-separated folders), 2. $CUDA_HOME/lib64 and /usr/local/cuda/lib64,
#   3. the lib folders of NVIDIA's CUDA Python packages (nvidia-*-cu13 / nvidia-cudnn-cu13 / nvidia-nccl-cu13)
#      in the site-packages of MTLJ_PYTHON (default python3), e.g. a PyTorch cu130 environment.
# The driver's libcuda.so.1 must already be on the loader's path (it is on any host with the NVIDIA driver).
mtlj_cuda_dirs=()
IFS=: read -r -a mtlj_user_dirs <<< "${MTLJ_CUDA_LIBS:-}"
mtlj_cuda_dirs+=("${mtlj_user_dirs[@]}")
[ -n "${CUDA_HOME:-}" ] && mtlj_cuda_dirs+=("$CUDA_HOME/lib64")
mtlj_cuda_dirs+=(/usr/local/cuda/lib64)
mtlj_py=${MTLJ_PYTHON:-python3}
if command -v "$mtlj_py" >/dev/null; then
  while IFS= read -r d; do mtlj_cuda_dirs+=("$d"); done < <("$mtlj_py" - <<'PY' 2>/dev/null
import glob, os, site, sys
roots = list(site.getsitepackages()) + [site.getusersitepackages()] + [p for p in sys.path if p.endswith("site-packages")]
seen = set()
for r in roots:
    for d in sorted(glob.glob(os.path.join(r, "nvidia", "*", "lib")) + glob.glob(os.path.join(r, "nvidia", "*", "*", "lib"))):
        if d not in seen:
            seen.add(d); print(d)
PY
)
fi
mtlj_path=""
mtlj_missing=""
for lib in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcusparse.so.12 libcufft.so.12 libcurand.so.10 \
           libcufile.so.0 libnccl.so.2 libcudnn.so.9 libnvJitLink.so.13; do
  found=""
  for d in "${mtlj_cuda_dirs[@]}"; do
    if [ -n "$d" ] && [ -e "$d/$lib" ]; then found=$d; break; fi
  done
  if [ -z "$found" ]; then mtlj_missing="$mtlj_missing $lib"; continue; fi
  case ":$mtlj_path:" in *":$found:"*) ;; *) mtlj_path="${mtlj_path:+$mtlj_path:}$found" ;; esac
  [ -n "${MTLJ_CUDA_VERBOSE:-}" ] && echo "cuda-env: $lib <- $found" >&2
done
if [ -n "$mtlj_missing" ]; then
  echo "mtlj: CUDA libraries not found:$mtlj_missing" >&2
  echo "  searched: ${mtlj_cuda_dirs[*]}" >&2
  echo "  install CUDA 13 + cuDNN 9 + NCCL 2, or a Python env with torch cu130, or set MTLJ_CUDA_LIBS" >&2
  return 2 2>/dev/null || exit 2
fi
export LD_LIBRARY_PATH="$mtlj_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
unset mtlj_cuda_dirs mtlj_user_dirs mtlj_py mtlj_path mtlj_missing found lib d
