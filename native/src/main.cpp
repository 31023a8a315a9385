// mtlj-native-bench WORKLOAD [--device cpu|cuda] [--bf16] [--threads N] [--warmup N] [--steps N] [--repeats N]
// Prints "META ..." once, then per timed block "RESULT cpp WORKLOAD BLOCK MS_PER_STEP" (the protocol of benchmarks/run).
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "workloads.h"

namespace {

int intArg(int& i, int argc, char** argv) {
  if (i + 1 >= argc) {
    std::fprintf(stderr, "%s needs a value\n", argv[i]);
    std::exit(2);
  }
  return std::atoi(argv[++i]);
}

void sync(const bench::Options& o) {
#ifdef MTLJ_CUDA
  if (o.device != "cpu") torch::cuda::synchronize();
#else
  (void)o;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  bench::Options o;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--threads") o.threads = intArg(i, argc, argv);
    else if (a == "--warmup") o.warmup = intArg(i, argc, argv);
    else if (a == "--steps") o.steps = intArg(i, argc, argv);
    else if (a == "--repeats") o.repeats = intArg(i, argc, argv);
    else if (a == "--bf16") o.bf16 = true;
    else if (a == "--device" && i + 1 < argc) o.device = argv[++i];
    else if (a[0] != '-' && o.workload.empty()) o.workload = a;
    else {
      std::fprintf(stderr, "unknown argument '%s'\n", a.c_str());
      return 2;
    }
  }
  if (o.workload.empty() || o.threads < 1 || o.steps < 1 || o.repeats < 1 || o.warmup < 0) {
    std::fprintf(stderr, "usage: mtlj-native-bench WORKLOAD [--device D] [--bf16] [--threads N>=1] [--warmup N] "
                         "[--steps N>=1] [--repeats N>=1]\n");
    return 2;
  }
  torch::set_num_threads(o.threads);
  at::set_num_interop_threads(o.threads);
  std::printf("META cpp libtorch=%s threads=%d device=%s\n", TORCH_VERSION, torch::get_num_threads(), o.device.c_str());
  try {
    bench::Step step = bench::make(o);
    for (int i = 0; i < o.warmup; i++) step();
    sync(o);
    for (int r = 0; r < o.repeats; r++) {
      auto t0 = std::chrono::steady_clock::now();
      for (int i = 0; i < o.steps; i++) step();
      sync(o);
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / o.steps;
      std::printf("RESULT cpp %s %d %.6f\n", o.workload.c_str(), r, ms);
      std::fflush(stdout);
    }
  } catch (const std::invalid_argument& e) {  // an unknown workload: a usage error
    std::fprintf(stderr, "mtlj-native-bench: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mtlj-native-bench %s: %s\n", o.workload.c_str(), e.what());
    return 1;
  }
  return 0;
}
