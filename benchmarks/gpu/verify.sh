#!/usr/bin/env bash
# Verifies an unpacked GPU bundle on a CUDA host, one stage at a time (each well under ten minutes on an H100):
#   benchmarks/gpu/verify.sh BUNDLE OUT STAGE      (run from the repository root; BUNDLE = .../mtlj-gpu)
# Stages: env (GPU, driver, where each CUDA library comes from), quickstart (./mtlj quickstart --device cuda),
# tests (the suite with -Dmtlj.test.device=cuda; reports in OUT/test-reports), bench (GpuStepTime and the
# PyTorch peer, interleaved java/python/java/python), soak (GpuSoak 5000 steps). Logs go to OUT/STAGE.log.
set -uo pipefail
bundle=$1; out=$2; stage=$3
mkdir -p "$out"
log="$out/$stage.log"
case "$stage" in
  env)
    { nvidia-smi; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
      python3 -c 'import torch; print("python torch", torch.__version__, "CUDA", torch.version.cuda)'
      MTLJ_CUDA_VERBOSE=1 bash -c "source '$bundle/bin/cuda-env.sh' && echo LD_LIBRARY_PATH=\$LD_LIBRARY_PATH"
      "$bundle/jre/bin/java" -version; } > "$log" 2>&1 ;;
  quickstart)
    "$bundle/bin/mtlj" quickstart --device cuda --output "$out/runs" > "$log" 2>&1 ;;
  tests)
    MTLJ_TEST_DEVICE=cuda "$bundle/bin/test" "$out/test-reports" > "$log" 2>&1 ;;
  bench)
    for round in 1 2; do
      "$bundle/bin/bench" GpuStepTime cuda 7 200
      python3 benchmarks/gpu/step_time.py cuda 7 200
    done > "$log" 2>&1 ;;
  soak)
    "$bundle/bin/bench" GpuSoak 5000 cuda > "$log" 2>&1 ;;
  *) echo "verify.sh: unknown stage '$stage' (env, quickstart, tests, bench, soak)" >&2; exit 2 ;;
esac
rc=$?
tail -n 40 "$log"
echo "stage $stage exit $rc"
exit $rc
