"""PyTorch reference for bench/forecast and bench/train, on one CPU thread.

Same shapes as lstm-bench.ts / mlp-bench.ts: LSTM|GRU(32) on 2,000 windows x 28 steps x 1
feature, batch 64, horizon 7; MLP 50,000 x 20 -> 64 -> 1, batch 256. Adam, MSE, one warm-up
epoch then timed epochs. Prints one JSON object. Run with Debian's /usr/bin/python3
(python3-torch).
"""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)


def rnn(cell: str, epochs: int):
    n, t, h, horizon, batch = 2000, 28, 32, 7, 64
    x = torch.randn(n, t, 1)
    y = torch.randn(n, horizon)
    layer = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(1, h, batch_first=True)
    head = torch.nn.Linear(h, horizon)
    params = list(layer.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=0.005)
    return train(lambda xb: head(layer(xb)[0][:, -1, :]), x, y, opt, batch, epochs)


def mlp(epochs: int):
    n, d, hidden, batch = 50_000, 20, 64, 256
    x = torch.randn(n, d)
    y = torch.randn(n, 1)
    net = torch.nn.Sequential(torch.nn.Linear(d, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))
    opt = torch.optim.Adam(net.parameters(), lr=0.001)
    return train(net, x, y, opt, batch, epochs)


def train(forward, x, y, opt, batch, epochs):
    loss_fn = torch.nn.MSELoss()
    seconds = []
    for epoch in range(epochs + 1):
        started = time.perf_counter()
        order = torch.randperm(x.shape[0])
        for i in range(0, x.shape[0], batch):
            idx = order[i : i + batch]
            opt.zero_grad()
            loss = loss_fn(forward(x[idx]), y[idx])
            loss.backward()
            opt.step()
        if epoch > 0:
            seconds.append(time.perf_counter() - started)
    return seconds


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "lstm"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    seconds = mlp(epochs) if what == "mlp" else rnn(what, epochs)
    print(json.dumps({"engine": "torch", "what": what, "torch": torch.__version__, "threads": 1, "seconds": seconds}))
