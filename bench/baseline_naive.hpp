// bench/baseline_naive.hpp - the reference algorithm written the way the reference writes it.
//
// A literal C++ translation of the "vanilla neural network from scratch" recipe: every matrix a
// std::vector<std::vector<float>> (rows of columns, one column per sample), every step a function
// that returns fresh matrices, caches of (A_prev, Z) per layer, and the textbook triple loop for
// products. It is the floor that shows what fixed sizes buy; it computes what ctnn does (relu
// hidden layers, sigmoid output, binary cross-entropy averaged over outputs and samples,
// W -= η·dW with dW = dZ·A_prevᵀ / m).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <tuple>
#include <utility>
#include <vector>

namespace bench::naive {

/** A dense matrix as the reference keeps it: rows of values, one column per sample. */
using matrix = std::vector<std::vector<float>>;

/** Makes a rows × columns matrix of zeros. */
inline matrix zeros(std::size_t rows, std::size_t columns) { return matrix(rows, std::vector<float>(columns, 0.0f)); }

/** Returns a·b with the textbook triple loop: one inner product per result. */
inline matrix dot(const matrix& a, const matrix& b) {
  matrix c = zeros(a.size(), b[0].size());
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b[0].size(); ++j)
      for (std::size_t k = 0; k < b.size(); ++k) c[i][j] += a[i][k] * b[k][j];
  return c;
}

/** Returns aᵀ. */
inline matrix transpose(const matrix& a) {
  matrix t = zeros(a[0].size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[0].size(); ++j) t[j][i] = a[i][j];
  return t;
}

/** Weights W (out × in) and biases b (out × 1) of one layer. */
struct layer_parameters {
  matrix w;
  matrix b;
};
using parameters = std::vector<layer_parameters>;

/** What the forward pass caches per layer: its input and its pre-activation. */
struct layer_cache {
  matrix a_prev;
  matrix z;
};

/** The output of L_model_forward: the last activation and every layer's cache. */
struct forward_result {
  matrix al;
  std::vector<layer_cache> caches;
};

/** Copies a ctnn network's parameters (weights[i * Out + o] connects input i to output o). */
template <class Params>
parameters from_ctnn(const Params& p) {
  parameters result;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (
        [&](const auto& layer) {
          const std::size_t out = layer.biases.size(), in = layer.weights.size() / out;
          layer_parameters l{zeros(out, in), zeros(out, 1)};
          for (std::size_t o = 0; o < out; ++o) {
            for (std::size_t i = 0; i < in; ++i) l.w[o][i] = layer.weight(i, o);
            l.b[o][0] = layer.biases[o];
          }
          result.push_back(std::move(l));
        }(p.template layer<I>()),
        ...);
  }(std::make_index_sequence<Params::layer_count>{});
  return result;
}

/** Returns Z = W·A_prev + b, b broadcast over the samples. */
inline matrix linear_forward(const matrix& a_prev, const layer_parameters& l) {
  matrix z = dot(l.w, a_prev);
  for (std::size_t i = 0; i < z.size(); ++i)
    for (float& value : z[i]) value += l.b[i][0];
  return z;
}

/** Returns max(0, Z), element-wise. */
inline matrix relu(const matrix& z) {
  matrix a = z;
  for (auto& row : a)
    for (float& value : row) value = std::max(value, 0.0f);
  return a;
}

/** Returns 1 / (1 + e^-Z), element-wise. */
inline matrix sigmoid(const matrix& z) {
  matrix a = z;
  for (auto& row : a)
    for (float& value : row) value = 1.0f / (1.0f + std::exp(-value));
  return a;
}

/** Runs X (features × samples) through every layer: relu, ..., relu, sigmoid. */
inline forward_result forward(const parameters& params, const matrix& x) {
  forward_result result{x, {}};
  for (std::size_t l = 0; l < params.size(); ++l) {
    matrix z = linear_forward(result.al, params[l]);
    matrix a = l + 1 < params.size() ? relu(z) : sigmoid(z);
    result.caches.push_back({result.al, z});
    result.al = a;
  }
  return result;
}

/** Keeps log() and the divisions of the cross-entropy away from 0 and 1. */
inline float clamp_probability(float a) {
  constexpr float eps = std::numeric_limits<float>::epsilon();
  return std::clamp(a, eps, 1.0f - eps);
}

/** Returns the cross-entropy cost, -1/m Σ y·log(a) + (1-y)·log(1-a), averaged over outputs too. */
inline float compute_cost(const matrix& al, const matrix& y) {
  const std::size_t m = al[0].size();
  float sum = 0;
  for (std::size_t i = 0; i < al.size(); ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      const float a = clamp_probability(al[i][j]);
      sum -= y[i][j] * std::log(a) + (1.0f - y[i][j]) * std::log(1.0f - a);
    }
  }
  return sum / static_cast<float>(m * al.size());
}

/** Returns the fraction of samples whose output names the target's class (threshold 0.5, or argmax). */
inline double accuracy(const matrix& al, const matrix& y) {
  const std::size_t m = al[0].size();
  std::size_t correct = 0;
  for (std::size_t j = 0; j < m; ++j) {
    std::size_t predicted = 0, expected = 0;
    if (al.size() == 1) {
      predicted = al[0][j] >= 0.5f ? 1 : 0;
      expected = y[0][j] >= 0.5f ? 1 : 0;
    } else {
      for (std::size_t i = 1; i < al.size(); ++i) {
        if (al[i][j] > al[predicted][j]) predicted = i;
        if (y[i][j] > y[expected][j]) expected = i;
      }
    }
    correct += predicted == expected ? 1 : 0;
  }
  return static_cast<double>(correct) / static_cast<double>(m);
}

/** Returns dW = dZ·A_prevᵀ / m and db = Σ dZ / m into `grads`, and dA_prev = Wᵀ·dZ. */
inline matrix linear_backward(const matrix& dz, const layer_cache& cache, const layer_parameters& l,
                              layer_parameters& grads) {
  const auto m = static_cast<float>(dz[0].size());
  grads.w = dot(dz, transpose(cache.a_prev));
  for (auto& row : grads.w)
    for (float& value : row) value /= m;
  grads.b = zeros(dz.size(), 1);
  for (std::size_t i = 0; i < dz.size(); ++i) {
    for (float value : dz[i]) grads.b[i][0] += value;
    grads.b[i][0] /= m;
  }
  return dot(transpose(l.w), dz);
}

/** Returns dZ = dA · relu'(Z). */
inline matrix relu_backward(const matrix& da, const matrix& z) {
  matrix dz = da;
  for (std::size_t i = 0; i < dz.size(); ++i)
    for (std::size_t j = 0; j < dz[i].size(); ++j)
      if (z[i][j] <= 0.0f) dz[i][j] = 0.0f;
  return dz;
}

/** Returns dZ = dA · σ(Z)·(1 - σ(Z)), σ recomputed from the cached Z. */
inline matrix sigmoid_backward(const matrix& da, const matrix& z) {
  const matrix s = sigmoid(z);
  matrix dz = da;
  for (std::size_t i = 0; i < dz.size(); ++i)
    for (std::size_t j = 0; j < dz[i].size(); ++j) dz[i][j] *= s[i][j] * (1.0f - s[i][j]);
  return dz;
}

/** Returns every layer's gradients, from the output layer to the input layer: dAL is the
    cross-entropy's derivative, divided by the number of outputs as ctnn's mean over outputs is. */
inline parameters backward(const forward_result& f, const matrix& y, const parameters& params) {
  const std::size_t layers = params.size();
  const auto outputs = static_cast<float>(f.al.size());
  matrix da = zeros(f.al.size(), f.al[0].size());
  for (std::size_t i = 0; i < da.size(); ++i) {
    for (std::size_t j = 0; j < da[i].size(); ++j) {
      const float a = clamp_probability(f.al[i][j]);
      da[i][j] = -(y[i][j] / a - (1.0f - y[i][j]) / (1.0f - a)) / outputs;
    }
  }
  parameters grads(layers);
  for (std::size_t l = layers; l-- > 0;) {
    const matrix dz = l + 1 == layers ? sigmoid_backward(da, f.caches[l].z) : relu_backward(da, f.caches[l].z);
    da = linear_backward(dz, f.caches[l], params[l], grads[l]);
  }
  return grads;
}

/** Takes one gradient-descent step: W -= η·dW, b -= η·db. */
inline void update(parameters& params, const parameters& grads, float learning_rate) {
  for (std::size_t l = 0; l < params.size(); ++l) {
    for (std::size_t i = 0; i < params[l].w.size(); ++i)
      for (std::size_t j = 0; j < params[l].w[i].size(); ++j) params[l].w[i][j] -= learning_rate * grads[l].w[i][j];
    for (std::size_t i = 0; i < params[l].b.size(); ++i) params[l].b[i][0] -= learning_rate * grads[l].b[i][0];
  }
}

/** Trains on X (features × m) and Y (outputs × m) without measuring anything: forward, backward, update. */
inline void train_step(parameters& params, const matrix& x, const matrix& y, float learning_rate) {
  const forward_result f = forward(params, x);
  update(params, backward(f, y, params), learning_rate);
}

/** Results of one epoch, measured before its update. */
struct epoch_result {
  float cost;
  double accuracy;
};

/** Trains one epoch on X (features × m) and Y (outputs × m): the reference's loop body. */
inline epoch_result train_epoch(parameters& params, const matrix& x, const matrix& y, float learning_rate) {
  const forward_result f = forward(params, x);
  const epoch_result result{compute_cost(f.al, y), accuracy(f.al, y)};
  const parameters grads = backward(f, y, params);
  update(params, grads, learning_rate);
  return result;
}

/** Lays samples out as the reference wants them: one column per sample. */
template <class Sample>
matrix to_columns(std::span<const Sample> samples) {
  matrix m = zeros(std::tuple_size_v<Sample>, samples.size());
  for (std::size_t j = 0; j < samples.size(); ++j)
    for (std::size_t i = 0; i < m.size(); ++i) m[i][j] = samples[j][i];
  return m;
}

}  // namespace bench::naive
