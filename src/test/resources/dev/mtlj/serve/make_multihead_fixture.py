"""Makes the multi-head TorchScript fixture of ScriptPredictorTest (run from the repository root):

    python3 src/test/resources/dev/mtlj/serve/make_multihead_fixture.py

Writes, beside this script, multihead.pt (torch.jit.script of a shared 5 -> 16 trunk with three heads: 'kind'
3-class logits, 'flag' a binary logit, 'score' 2 regression values; forward returns a dict by task name, as a
Python multi-head model commonly does), multihead.json (the signature mtlj needs: input shape and tasks) and
multihead_expected.json: a fixed input batch and what a predictor must return for it - softmax probabilities,
sigmoid probability, raw values - computed here by PyTorch. Made with torch 2.10.0 (mtlj's libtorch version).
"""
import json
import os
from typing import Dict

import torch


class MultiHead(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = torch.nn.Sequential(torch.nn.Linear(5, 16), torch.nn.ReLU())
        self.kind = torch.nn.Linear(16, 3)
        self.flag = torch.nn.Linear(16, 1)
        self.score = torch.nn.Linear(16, 2)

    def forward(self, x) -> Dict[str, torch.Tensor]:
        z = self.trunk(x)
        return {"score": self.score(z), "kind": self.kind(z), "flag": self.flag(z)}


def main():
    torch.manual_seed(20261124)
    net = MultiHead().eval()
    x = torch.linspace(-2.0, 2.0, 3 * 5).reshape(3, 5)
    with torch.no_grad():
        y = net(x)
    here = os.path.dirname(os.path.abspath(__file__))
    torch.jit.save(torch.jit.script(net), os.path.join(here, "multihead.pt"))
    signature = {"input_shape": [5], "tasks": [{"name": "kind", "kind": "classification", "outputs": 3},
                                               {"name": "flag", "kind": "binary", "outputs": 1},
                                               {"name": "score", "kind": "regression", "outputs": 2}]}
    with open(os.path.join(here, "multihead.json"), "w") as f:
        json.dump(signature, f, indent=1)
        f.write("\n")
    expected = {"torch": torch.__version__, "rows": 3, "input": x.flatten().tolist(),
                "kind": torch.softmax(y["kind"], 1).flatten().tolist(),
                "flag": torch.sigmoid(y["flag"]).flatten().tolist(),
                "score": y["score"].flatten().tolist()}
    with open(os.path.join(here, "multihead_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
