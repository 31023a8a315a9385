"""PyTorch peer of dev.mtlj.bench.GpuStepTime: the same workloads in eager PyTorch.

Per workload: an MLP backbone 250 -> 4 x width with ReLU, linear heads for three 100-d regression tasks (MSE) and
one 4-class task (cross-entropy), equal weights, Adam (lr 1e-3), data resident on the device (4,000 examples),
each step gathering its batch through indices uploaded from pinned memory without blocking (as mtlj does), and the
loss window accumulated on the device in float64 (as mtlj's trainer). 50 warm-up steps, then REPEATS blocks of
STEPS steps closed by torch.cuda.synchronize(); prints `python WORKLOAD REPEAT MS_PER_STEP` per block and medians.

    python3 benchmarks/gpu/step_time.py [device] [repeats] [steps]

ADAM_FOREACH=0 uses Adam's per-parameter loop (the algorithm of libtorch's C++ torch::optim::Adam, which mtlj
drives) instead of PyTorch's default multi-tensor (foreach) kernels on CUDA.
"""
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

WORKLOADS = [("quickstart-b64", 100, 64, "fp32"), ("quickstart-b256", 100, 256, "fp32"),
             ("wide-b1024", 2048, 1024, "fp32"), ("wide-b1024-bf16", 2048, 1024, "bf16")]


def run(device, name, width, batch, precision, repeats, steps, warmup=50, n=4000):
    torch.manual_seed(42)
    x = torch.randn(n, 250, device=device)
    ys = [torch.randn(n, 100, device=device) for _ in range(3)]
    cls = torch.randint(0, 4, (n,), device=device)
    layers, w_in = [], 250
    for _ in range(4):
        layers += [torch.nn.Linear(w_in, width), torch.nn.ReLU()]
        w_in = width
    backbone = torch.nn.Sequential(*layers).to(device)
    heads = torch.nn.ModuleList([torch.nn.Linear(width, 100) for _ in range(3)] + [torch.nn.Linear(width, 4)]).to(device)
    params = list(backbone.parameters()) + list(heads.parameters())
    opt = torch.optim.Adam(params, lr=1e-3, foreach=os.environ.get("ADAM_FOREACH", "1") != "0")
    window = torch.zeros(4, dtype=torch.float64, device=device)
    weights = torch.ones(4, dtype=torch.float64)
    state = {"perm": torch.randperm(n), "pos": 0}

    def next_indices():
        if state["pos"] + batch > n:
            state["perm"], state["pos"] = torch.randperm(n), 0
        idx = state["perm"][state["pos"]:state["pos"] + batch]
        state["pos"] += batch
        return idx.pin_memory().to(device, non_blocking=True)

    def step():
        idx = next_indices()
        xb = x.index_select(0, idx)
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=precision == "bf16"):
            z = backbone(xb)
            outs = [h(z) for h in heads]
            losses = [F.mse_loss(outs[i], ys[i].index_select(0, idx)) for i in range(3)]
            losses.append(F.cross_entropy(outs[3], cls.index_select(0, idx)))
        stacked = torch.stack([l.float() for l in losses])
        w = weights.to(torch.float32).pin_memory().to(device, non_blocking=True)
        opt.zero_grad()
        (stacked * w).sum().backward()
        opt.step()
        window.add_(stacked.detach().double())

    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    times = []
    for r in range(repeats):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        torch.cuda.synchronize()
        ms = (time.perf_counter() - t0) * 1e3 / steps
        times.append(ms)
        print(f"python {name} {r} {ms:.4f}", flush=True)
    return statistics.median(times)


def main():
    device = sys.argv[1] if len(sys.argv) > 1 else "cuda"
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    foreach = os.environ.get("ADAM_FOREACH", "1") != "0"
    print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}, Adam foreach={foreach}",
          flush=True)
    medians = [(w[0], run(device, *w, repeats, steps)) for w in WORKLOADS]
    for name, m in medians:
        print(f"python{'' if foreach else '-loop'} {name} median {m:.4f} ms/step")


if __name__ == "__main__":
    main()
