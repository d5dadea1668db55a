#!/usr/bin/env python3
"""Golden values for tests/test_golden.cpp, computed independently of ctnn.

A plain-Python transcription of the reference recipe (W is out x in, as in the
reference: Z = W.A_prev + b), in double precision, with the math module only.
Network 3-4-3-1: relu, tanh, sigmoid. Loss: binary cross-entropy.
Run: python3 tests/golden/reference.py   (prints the C++ constants the test uses)
"""
import math

W = [
    [[0.5, -0.25, 0.125], [-0.75, 0.5, 0.25], [0.3, 0.2, -0.1], [-0.4, -0.6, 0.9]],  # 4x3
    [[0.2, -0.5, 0.7, 0.1], [-0.3, 0.8, -0.2, 0.4], [0.6, 0.1, -0.9, -0.5]],       # 3x4
    [[1.5, -2.0, 0.75]],                                                          # 1x3
]
b = [[0.1, -0.2, 0.05, 0.0], [0.0, 0.1, -0.1], [0.2]]
acts = ["relu", "tanh", "sigmoid"]
X = [[1.0, 2.0, -0.5], [-1.5, 0.25, 2.0]]
Y = [1.0, 0.0]
lr = 0.5


def act(name, z):
    if name == "relu":
        return max(0.0, z)
    if name == "tanh":
        return math.tanh(z)
    return 1.0 / (1.0 + math.exp(-z))


def dact(name, z, a):
    if name == "relu":
        return 1.0 if z > 0 else 0.0
    if name == "tanh":
        return 1.0 - a * a
    return a * (1.0 - a)


def forward(x):
    caches, a = [], x
    for l in range(3):
        z = [sum(W[l][o][i] * a[i] for i in range(len(a))) + b[l][o] for o in range(len(W[l]))]
        new_a = [act(acts[l], v) for v in z]
        caches.append((a, z, new_a))
        a = new_a
    return a, caches


def bce(a, y):
    return -(y * math.log(a) + (1 - y) * math.log(1 - a))


def backward(caches, y):
    grads = [None] * 3
    a_last = caches[2][2][0]
    # dA = -(y/a - (1-y)/(1-a)) and dZ = dA * a(1-a): the reference's unfused form
    dA = [-(y / a_last - (1 - y) / (1 - a_last))]
    for l in reversed(range(3)):
        a_prev, z, a = caches[l]
        dZ = [dA[o] * dact(acts[l], z[o], a[o]) for o in range(len(z))]
        dW = [[dZ[o] * a_prev[i] for i in range(len(a_prev))] for o in range(len(z))]
        grads[l] = (dW, dZ)
        dA = [sum(W[l][o][i] * dZ[o] for o in range(len(z))) for i in range(len(a_prev))]
    return grads


def fmt(values):
    return "{" + ", ".join(repr(v) for v in values) + "}"


out0, caches0 = forward(X[0])
print("// forward(X[0])")
for l in range(3):
    print(f"z{l} = {fmt(caches0[l][1])};  a{l} = {fmt(caches0[l][2])};")
print(f"bce(X[0], Y[0]) = {bce(out0[0], Y[0])!r};")

# One gradient-descent step on the batch {X[0], X[1]}: mean gradients over m = 2.
sums = None
for x, y in zip(X, Y):
    _, c = forward(x)
    g = backward(c, y)
    if sums is None:
        sums = g
    else:
        sums = [([[s + t for s, t in zip(rs, rt)] for rs, rt in zip(gs[0], gt[0])],
                 [s + t for s, t in zip(gs[1], gt[1])]) for gs, gt in zip(sums, g)]
for l in range(3):
    dW, db = sums[l]
    W[l] = [[W[l][o][i] - lr * dW[o][i] / 2 for i in range(len(W[l][o]))] for o in range(len(W[l]))]
    b[l] = [b[l][o] - lr * db[o] / 2 for o in range(len(b[l]))]
print("// after one SGD step, lr 0.5, batch {X[0], X[1]}; W is out x in")
for l in range(3):
    print(f"W{l} = {{{', '.join(fmt(r) for r in W[l])}}};  b{l} = {fmt(b[l])};")
print(f"output(X[0]) = {forward(X[0])[0][0]!r};")
