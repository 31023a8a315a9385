"""Python peer of dev.mtlj.bench.ToyMethods: workload (g) of benchmarks/run, the CAGrad two-task toy.

    python3 toy_peer.py METHOD [STEPS]      METHOD: ew, mgda, pcgrad, cagrad, nashmtl, famo

x in R^2 from (-8.5, 7.5), Adam lr 1e-3, one thread. MGDA, PCGrad, CAGrad (c = 0.5) and Nash-MTL are torchjd's
aggregators on the 2x2 Jacobian (torchjd.autojac.backward + jac_to_grad); EW is the summed loss; FAMO (Liu et al.,
NeurIPS 2023) is written here in plain PyTorch after the paper, with mtlj's defaults (lr 0.025, decay 1e-3) on
f_i + 21 (positive). Prints "TOY python METHOD STEPS MS_PER_STEP x1 x2 f1 f2" (200 warm-up steps not timed).
"""
import sys
import time

import torch

LOWER = 0.000005


def toy(x):
    x1, x2 = x[0], x[1]
    t = torch.tanh(-x2)
    h1 = torch.clamp((0.5 * (-x1 - 7) - t).abs(), LOWER).log() + 6
    h2 = torch.clamp((0.5 * (-x1 + 3) + t + 2).abs(), LOWER).log() + 6
    c1 = torch.clamp(torch.tanh(x2 * 0.5), 0)
    c2 = torch.clamp(torch.tanh(-x2 * 0.5), 0)
    g1 = ((-x1 + 7).pow(2) + 0.1 * (-x2 - 8).pow(2)) / 10 - 20
    g2 = ((-x1 - 7).pow(2) + 0.1 * (-x2 - 8).pow(2)) / 10 - 20
    return [h1 * c1 + g1 * c2, h2 * c1 + g2 * c2]


class Famo:
    """FAMO (B. Liu, Y. Feng, P. Stone, Q. Liu, NeurIPS 2023): logits xi, z = softmax(xi); the network minimises
    sum_i z_i log l_i / c with c = sum_i z_i / l_i; after the step, xi takes an Adam step on the log-loss decrease."""

    def __init__(self, tasks, lr=0.025, gamma=1e-3):
        self.xi = torch.zeros(tasks, requires_grad=True)
        self.opt = torch.optim.Adam([self.xi], lr=lr, weight_decay=gamma)
        self.prev = None

    def loss(self, losses):
        self.prev = losses.detach()
        z = torch.softmax(self.xi, 0).detach()
        c = (z / self.prev).sum()
        return (losses.log() * z / c).sum()

    def update(self, losses):
        delta = self.prev.log() - losses.detach().log()
        with torch.enable_grad():
            d = torch.autograd.grad(torch.softmax(self.xi, 0), self.xi, grad_outputs=delta)[0]
        self.opt.zero_grad()
        self.xi.grad = d
        self.opt.step()


def main():
    method = sys.argv[1]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
    torch.set_num_threads(1)
    torch.manual_seed(42)
    x = torch.tensor([-8.5, 7.5], requires_grad=True)
    opt = torch.optim.Adam([x], lr=1e-3)
    aggregator, famo = None, None
    if method in ("mgda", "pcgrad", "cagrad", "nashmtl"):
        from torchjd import aggregation as a
        from torchjd.autojac import backward, jac_to_grad
        aggregator = {"mgda": lambda: a.MGDA(), "pcgrad": lambda: a.PCGrad(), "cagrad": lambda: a.CAGrad(c=0.5),
                      "nashmtl": lambda: a.NashMTL(n_tasks=2)}[method]()
    elif method == "famo":
        famo = Famo(2)
    elif method != "ew":
        print(f"toy_peer.py: unknown method '{method}' (ew, mgda, pcgrad, cagrad, nashmtl, famo)", file=sys.stderr)
        sys.exit(2)

    def step():
        f = toy(x)
        opt.zero_grad()
        if aggregator is not None:
            backward(f)
            jac_to_grad([x], aggregator)
        elif famo is not None:
            famo.loss(torch.stack(f) + 21).backward()
        else:
            (f[0] + f[1]).backward()
        opt.step()
        if famo is not None:
            with torch.no_grad():
                famo.update(torch.stack(toy(x)) + 21)

    for _ in range(200):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    ms = (time.perf_counter() - t0) * 1e3 / steps
    with torch.no_grad():
        f = [v.item() for v in toy(x)]
    print(f"TOY python {method} {steps} {ms:.6f} {x[0].item():.4f} {x[1].item():.4f} {f[0]:.4f} {f[1]:.4f}", flush=True)


if __name__ == "__main__":
    main()
