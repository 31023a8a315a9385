// Reference workloads of benchmarks/run in C++ on libtorch (see benchmarks/README.md for their definitions).
#pragma once
#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

namespace bench {

struct Options {
  std::string workload;
  std::string device = "cpu";
  bool bf16 = false;
  int threads = 1;
  int warmup = 50;
  int steps = 100;
  int repeats = 5;
};

/** One timed unit of work (a training step or an inference call); called steps times per block. */
using Step = std::function<void()>;

/** Builds the workload's model, data and optimizer and returns its step. */
Step make(const Options& o);

/** UPGrad weights (Quinton & Rey 2024) for a T×T Gramian, row-major; mean-like native scale. */
std::vector<double> upgradWeights(const std::vector<double>& gramian, int t, double reg);

}  // namespace bench
