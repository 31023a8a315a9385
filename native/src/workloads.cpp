// The workloads of benchmarks/run (definitions in benchmarks/README.md), step for step what mtlj's Trainer and
// Predictor do: batches gathered from device-resident data by an epoch permutation, losses stacked, the loss
// window summed in float64 on the device, Adam (lr 1e-3) from libtorch's C++ optimizer.
#include <ATen/autocast_mode.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "workloads.h"

namespace bench {
namespace {

constexpr int64_t kExamples = 4000;
constexpr int64_t kInputs = 250;
constexpr int64_t kOutputs = 100;

struct Shape {
  std::vector<int64_t> hidden;  // MLP widths (empty: the CNN)
  int regression = 3;           // 100-d MSE tasks
  int classes = 0;              // extra classification task with this many classes (0: none)
  int64_t batch = 256;
};

Shape shapeOf(const std::string& w) {
  if (w == "hps-ew" || w == "hps-gradnorm") return {{512, 512, 512, 512}, 3, 0, 256};
  if (w == "hps-upgrad") return {{512, 512, 512, 512}, 3, 4, 256};
  if (w == "tiny-ew") return {{32, 32}, 3, 0, 16};
  if (w == "cnn-ew") return {{}, 0, 0, 128};
  if (w == "infer-b1") return {{100, 100, 100, 100}, 3, 4, 1};
  if (w == "infer-b64") return {{100, 100, 100, 100}, 3, 4, 64};
  throw std::invalid_argument("unknown workload '" + w +
                              "' (hps-ew, hps-gradnorm, hps-upgrad, tiny-ew, cnn-ew, infer-b1, infer-b64, op-add)");
}

/** Backbone + per-task heads, with the task losses of one batch. */
struct Model {
  torch::nn::Sequential backbone;
  std::vector<torch::nn::Linear> heads;
  torch::nn::Linear lastShared{nullptr};
  std::vector<bool> classification;

  std::vector<torch::Tensor> parameters() const {
    std::vector<torch::Tensor> ps = backbone->parameters();
    for (auto& h : heads)
      for (auto& p : h->parameters()) ps.push_back(p);
    return ps;
  }
};

Model mlp(const Shape& s, torch::Device device) {
  Model m;
  int64_t in = kInputs;
  for (int64_t w : s.hidden) {
    m.lastShared = torch::nn::Linear(in, w);
    m.backbone->push_back(m.lastShared);
    m.backbone->push_back(torch::nn::ReLU());
    in = w;
  }
  for (int i = 0; i < s.regression; i++) {
    m.heads.emplace_back(in, kOutputs);
    m.classification.push_back(false);
  }
  if (s.classes > 0) {
    m.heads.emplace_back(in, s.classes);
    m.classification.push_back(true);
  }
  m.backbone->to(device);
  for (auto& h : m.heads) h->to(device);
  return m;
}

// Multi-Fashion CNN (examples/multi-fashion.yaml): [conv3x3 → BN → ReLU → maxpool2] for 16 and 32 channels,
// flatten, dense 128 + ReLU, two 10-class heads.
Model cnn(torch::Device device) {
  Model m;
  int64_t c = 1;
  for (int64_t out : {16, 32}) {
    m.backbone->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(c, out, 3).padding(1)));
    m.backbone->push_back(torch::nn::BatchNorm2d(out));
    m.backbone->push_back(torch::nn::ReLU());
    m.backbone->push_back(torch::nn::MaxPool2d(2));
    c = out;
  }
  m.backbone->push_back(torch::nn::Flatten());
  m.lastShared = torch::nn::Linear(32 * 7 * 7, 128);
  m.backbone->push_back(m.lastShared);
  m.backbone->push_back(torch::nn::ReLU());
  for (int i = 0; i < 2; i++) {
    m.heads.emplace_back(128, 10);
    m.classification.push_back(true);
  }
  m.backbone->to(device);
  for (auto& h : m.heads) h->to(device);
  return m;
}

/** Device-resident data and the epoch-permutation batch stream mtlj's BatchStream uses. */
struct Data {
  torch::Tensor x;
  std::vector<torch::Tensor> y;
  torch::Device device;
  int64_t batch;
  torch::Tensor perm;
  int64_t pos = kExamples;

  torch::Tensor nextIndices() {
    if (pos + batch > kExamples) {
      perm = torch::randperm(kExamples, torch::kLong);
      pos = 0;
    }
    torch::Tensor idx = perm.slice(0, pos, pos + batch);
    pos += batch;
    if (device.is_cpu()) return idx;
    return idx.pin_memory().to(device, /*non_blocking=*/true);
  }
};

Data data(const Shape& s, const Model& m, torch::Device device) {
  Data d{torch::Tensor(), {}, device, s.batch, torch::Tensor()};
  d.x = s.hidden.empty() ? torch::rand({kExamples, 1, 28, 28}) : torch::randn({kExamples, kInputs});
  for (size_t i = 0; i < m.heads.size(); i++) {
    if (m.classification[i]) d.y.push_back(torch::randint(0, m.heads[i]->options.out_features(), {kExamples}, torch::kLong));
    else d.y.push_back(torch::randn({kExamples, kOutputs}));
  }
  d.x = d.x.to(device);
  for (auto& y : d.y) y = y.to(device);
  return d;
}

std::vector<torch::Tensor> losses(Model& m, Data& d, const torch::Tensor& idx, bool bf16) {
  torch::Tensor xb = d.x.index_select(0, idx);
  std::vector<torch::Tensor> out;
  auto forward = [&] {
    torch::Tensor z = m.backbone->forward(xb);
    for (size_t i = 0; i < m.heads.size(); i++) {
      torch::Tensor o = m.heads[i]->forward(z);
      torch::Tensor t = d.y[i].index_select(0, idx);
      out.push_back(m.classification[i] ? torch::nn::functional::cross_entropy(o, t)
                                        : torch::nn::functional::mse_loss(o, t));
    }
  };
  if (bf16) {
    at::autocast::set_autocast_enabled(at::kCUDA, true);
    at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
    forward();
    at::autocast::set_autocast_enabled(at::kCUDA, false);
    at::autocast::clear_cache();
    for (auto& l : out) l = l.to(torch::kFloat);
  } else {
    forward();
  }
  return out;
}

std::vector<double> toHost(const torch::Tensor& t) {
  torch::Tensor c = t.to(torch::kCPU, torch::kDouble).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

/** GradNorm's host-side weight update (Chen et al. 2018; methods.md §2.6), Adam on w with lr 1e-3. */
struct GradNormWeights {
  double alpha = 1.5, lr = 1e-3;
  std::vector<double> w, initial, m, v;
  int t = 0;

  explicit GradNormWeights(size_t tasks) : w(tasks, 1.0), m(tasks, 0.0), v(tasks, 0.0) {}

  void update(const std::vector<double>& l, const std::vector<double>& n) {
    size_t T = w.size();
    if (initial.empty()) initial = l;
    double gBar = 0, rMean = 0;
    std::vector<double> g(T), r(T);
    for (size_t i = 0; i < T; i++) {
      g[i] = w[i] * n[i];
      gBar += g[i] / T;
      r[i] = l[i] / initial[i];
      rMean += r[i] / T;
    }
    t++;
    double sum = 0;
    for (size_t i = 0; i < T; i++) {
      double target = gBar * std::pow(r[i] / rMean, alpha);
      double diff = g[i] - target;
      double grad = ((diff > 0) - (diff < 0)) * n[i];  // sign(0) = 0
      m[i] = 0.9 * m[i] + 0.1 * grad;
      v[i] = 0.999 * v[i] + 0.001 * grad * grad;
      double mh = m[i] / (1 - std::pow(0.9, t)), vh = v[i] / (1 - std::pow(0.999, t));
      w[i] = std::max(1e-6, w[i] - lr * mh / (std::sqrt(vh) + 1e-8));
      sum += w[i];
    }
    for (double& x : w) x *= T / sum;
  }
};

torch::Tensor weightsTensor(const std::vector<double>& w, torch::Device device) {
  torch::Tensor t = torch::tensor(std::vector<float>(w.begin(), w.end()));
  return device.is_cpu() ? t : t.pin_memory().to(device, true);
}

Step training(const Options& o, const Shape& s) {
  torch::Device device(o.device);
  auto m = std::make_shared<Model>(s.hidden.empty() ? cnn(device) : mlp(s, device));
  auto d = std::make_shared<Data>(data(s, *m, device));
  auto opt = std::make_shared<torch::optim::Adam>(m->parameters(), torch::optim::AdamOptions(1e-3));
  auto window = std::make_shared<torch::Tensor>(torch::zeros({(int64_t)m->heads.size()}, torch::TensorOptions(device).dtype(torch::kDouble)));
  m->backbone->train();
  bool bf16 = o.bf16;
  size_t T = m->heads.size();
  if (o.workload == "hps-gradnorm") {
    auto gn = std::make_shared<GradNormWeights>(T);
    return [=] {
      torch::Tensor idx = d->nextIndices();
      auto ls = losses(*m, *d, idx, bf16);
      torch::Tensor stacked = torch::stack(ls);
      std::vector<double> lv = toHost(stacked);
      std::vector<torch::Tensor> norms;
      for (auto& l : ls)
        norms.push_back(torch::autograd::grad({l}, {m->lastShared->weight}, {}, true, false, true)[0].norm());
      std::vector<double> nv = toHost(torch::stack(norms));
      std::vector<double> used = gn->w;
      gn->update(lv, nv);
      opt->zero_grad();
      stacked.mul(weightsTensor(used, device)).sum().backward();
      opt->step();
      window->add_(stacked.detach().to(torch::kDouble));
    };
  }
  if (o.workload == "hps-upgrad") {
    std::vector<torch::Tensor> shared = m->backbone->parameters();
    return [=] {
      torch::Tensor idx = d->nextIndices();
      auto ls = losses(*m, *d, idx, bf16);
      torch::Tensor stacked = torch::stack(ls);
      opt->zero_grad();
      std::vector<torch::Tensor> rows;
      std::vector<std::vector<torch::Tensor>> headGrads;
      for (size_t i = 0; i < T; i++) {
        std::vector<torch::Tensor> inputs = shared;
        for (auto& p : m->heads[i]->parameters()) inputs.push_back(p);
        auto g = torch::autograd::grad({ls[i]}, inputs, {}, i + 1 < T, false, true);
        std::vector<torch::Tensor> flat;
        for (size_t k = 0; k < shared.size(); k++)
          flat.push_back(g[k].defined() ? g[k].reshape(-1) : torch::zeros_like(shared[k]).reshape(-1));
        rows.push_back(torch::cat(flat));
        headGrads.emplace_back(g.begin() + shared.size(), g.end());
      }
      torch::Tensor j = torch::stack(rows);
      torch::Tensor jd = j.to(torch::kDouble);
      std::vector<double> h = toHost(jd.mm(jd.t()));
      std::vector<double> sym(h.size());
      for (size_t a = 0; a < T; a++)
        for (size_t b = 0; b < T; b++) sym[a * T + b] = 0.5 * (h[a * T + b] + h[b * T + a]);
      std::vector<double> w = upgradWeights(sym, (int)T, 1e-4);
      torch::Tensor dir = j.t().mv(weightsTensor(w, device));
      int64_t off = 0;
      for (auto& p : shared) {
        p.mutable_grad() = dir.narrow(0, off, p.numel()).view_as(p).clone();
        off += p.numel();
      }
      for (size_t i = 0; i < T; i++) {
        auto hp = m->heads[i]->parameters();
        for (size_t k = 0; k < hp.size(); k++)
          if (headGrads[i][k].defined()) hp[k].mutable_grad() = headGrads[i][k].clone();
      }
      opt->step();
      window->add_(stacked.detach().to(torch::kDouble));
    };
  }
  auto ones = std::vector<double>(T, 1.0);
  return [=] {
    torch::Tensor idx = d->nextIndices();
    auto ls = losses(*m, *d, idx, bf16);
    torch::Tensor stacked = torch::stack(ls);
    opt->zero_grad();
    stacked.mul(weightsTensor(ones, device)).sum().backward();
    opt->step();
    window->add_(stacked.detach().to(torch::kDouble));
  };
}

// Serving: host input → forward in inference mode → softmax of the class task → one host copy of all outputs.
Step inference(const Options& o, const Shape& s) {
  torch::Device device(o.device);
  auto m = std::make_shared<Model>(mlp(s, device));
  m->backbone->eval();
  auto input = std::make_shared<std::vector<float>>(s.batch * kInputs);
  torch::Tensor r = torch::randn({(int64_t)input->size()});
  std::memcpy(input->data(), r.data_ptr<float>(), input->size() * sizeof(float));
  auto output = std::make_shared<std::vector<float>>();
  auto labels = std::make_shared<std::vector<int64_t>>();
  int64_t batch = s.batch;
  return [=] {
    c10::InferenceMode guard;
    torch::Tensor x = torch::from_blob(input->data(), {batch, kInputs}, torch::kFloat).to(device, false, true);
    torch::Tensor z = m->backbone->forward(x);
    std::vector<torch::Tensor> outs;
    for (size_t i = 0; i < m->heads.size(); i++) {
      torch::Tensor y = m->heads[i]->forward(z);
      outs.push_back(m->classification[i] ? torch::softmax(y, 1) : y);
    }
    torch::Tensor all = torch::cat(outs, 1).to(torch::kCPU).contiguous();
    output->assign(all.data_ptr<float>(), all.data_ptr<float>() + all.numel());
    int64_t width = all.size(1), classes = m->heads.back()->options.out_features();
    labels->assign(batch, 0);
    for (int64_t b = 0; b < batch; b++) {
      const float* p = output->data() + b * width + (width - classes);
      for (int64_t c = 1; c < classes; c++)
        if (p[c] > p[(*labels)[b]]) (*labels)[b] = c;
    }
  };
}

}  // namespace

Step make(const Options& o) {
  torch::manual_seed(42);
  if (o.workload == "op-add") {  // the floor of one libtorch op: a + b on one element, result freed
    torch::Tensor a = torch::ones({1}), b = torch::ones({1});
    return [=] { torch::Tensor c = a + b; };
  }
  Shape s = shapeOf(o.workload);
  return o.workload.rfind("infer", 0) == 0 ? inference(o, s) : training(o, s);
}

}  // namespace bench
