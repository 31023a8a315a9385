"""Makes the TorchScript backbone fixture of TorchScriptBackboneTest (run from the repository root):

    python3 src/test/resources/dev/mtlj/model/make_torchscript_fixture.py

Writes, beside this script, torchscript_backbone.pt (torch.jit.script of a tiny 6 -> 8 -> 5 MLP with a BatchNorm1d,
seeded, a few KB) and torchscript_backbone.json: a fixed input batch and the module's eval-mode outputs on it,
computed here by PyTorch, for the Java test to compare against. Needs torch (made with torch 2.10.0, the libtorch
version mtlj uses); nothing else in mtlj needs Python.
"""
import json
import os

import torch


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(6, 8)
        self.bn = torch.nn.BatchNorm1d(8)
        self.fc2 = torch.nn.Linear(8, 5)

    def forward(self, x):
        return torch.tanh(self.fc2(torch.relu(self.bn(self.fc1(x)))))


def main():
    torch.manual_seed(20261123)
    net = Tiny()
    net.train()
    with torch.no_grad():  # give the batch-norm running statistics non-trivial values
        for _ in range(5):
            net(torch.randn(16, 6) * 2 + 0.5)
    net.eval()
    x = torch.linspace(-1.5, 1.5, 4 * 6).reshape(4, 6)
    with torch.no_grad():
        y = net(x)
    here = os.path.dirname(os.path.abspath(__file__))
    torch.jit.save(torch.jit.script(net), os.path.join(here, "torchscript_backbone.pt"))
    with open(os.path.join(here, "torchscript_backbone.json"), "w") as f:
        json.dump({"torch": torch.__version__, "input_shape": list(x.shape), "input": x.flatten().tolist(),
                   "output_shape": list(y.shape), "output": y.flatten().tolist(),
                   "parameters": sum(p.numel() for p in net.parameters())}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
