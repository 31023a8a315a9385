// UPGrad's weights from the Gramian, as mtlj computes them (methods.md §3.9): H normalised by its trace, plus
// reg·I; for each task k the projection v_k = argmin_{v >= e_k/T} vᵀHv; w = Σ_k v_k. The box-constrained QP is
// solved exactly by trying every active set (T <= 10 here: 2^T small linear systems) and keeping the KKT point.
#include <cmath>
#include <stdexcept>
#include <vector>

#include "workloads.h"

namespace bench {
namespace {

// Solves a (n×n, row-major) x = b by Gaussian elimination with partial pivoting; false if singular.
bool solve(std::vector<double> a, std::vector<double> b, int n, std::vector<double>& x) {
  for (int c = 0; c < n; c++) {
    int p = c;
    for (int r = c + 1; r < n; r++)
      if (std::fabs(a[r * n + c]) > std::fabs(a[p * n + c])) p = r;
    if (std::fabs(a[p * n + c]) < 1e-300) return false;
    for (int k = 0; k < n; k++) std::swap(a[c * n + k], a[p * n + k]);
    std::swap(b[c], b[p]);
    for (int r = c + 1; r < n; r++) {
      double f = a[r * n + c] / a[c * n + c];
      for (int k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
      b[r] -= f * b[c];
    }
  }
  x.assign(n, 0.0);
  for (int r = n - 1; r >= 0; r--) {
    double s = b[r];
    for (int k = r + 1; k < n; k++) s -= a[r * n + k] * x[k];
    x[r] = s / a[r * n + r];
  }
  return true;
}

// argmin_{v >= lower} vᵀQv for positive definite Q.
std::vector<double> boxQp(const std::vector<double>& q, const std::vector<double>& lower, int t) {
  const double tol = 1e-12;
  for (int mask = 0; mask < (1 << t); mask++) {  // bit set = variable free, else at its bound
    std::vector<int> free;
    for (int i = 0; i < t; i++)
      if (mask & (1 << i)) free.push_back(i);
    std::vector<double> v = lower;
    int f = static_cast<int>(free.size());
    if (f > 0) {
      std::vector<double> a(f * f), b(f, 0.0), x;
      for (int r = 0; r < f; r++) {
        for (int c = 0; c < f; c++) a[r * f + c] = q[free[r] * t + free[c]];
        for (int k = 0; k < t; k++)
          if (!(mask & (1 << k))) b[r] -= q[free[r] * t + k] * lower[k];
      }
      if (!solve(a, b, f, x)) continue;
      for (int r = 0; r < f; r++) v[free[r]] = x[r];
    }
    bool ok = true;
    for (int i = 0; i < t && ok; i++) {
      double grad = 0;
      for (int k = 0; k < t; k++) grad += q[i * t + k] * v[k];
      if (mask & (1 << i)) ok = v[i] >= lower[i] - tol;
      else ok = grad >= -tol;  // multiplier of an active bound must be >= 0
    }
    if (ok) return v;
  }
  throw std::runtime_error("UPGrad QP: no KKT point found");
}

}  // namespace

std::vector<double> upgradWeights(const std::vector<double>& gramian, int t, double reg) {
  std::vector<double> q = gramian;
  double trace = 0;
  for (int i = 0; i < t; i++) trace += q[i * t + i];
  for (double& x : q)
    if (trace > 0) x /= trace;
  for (int i = 0; i < t; i++) q[i * t + i] += reg;
  std::vector<double> w(t, 0.0);
  for (int k = 0; k < t; k++) {
    std::vector<double> lower(t, 0.0);
    lower[k] = 1.0 / t;
    std::vector<double> v = boxQp(q, lower, t);
    for (int i = 0; i < t; i++) w[i] += v[i];
  }
  return w;
}

}  // namespace bench
