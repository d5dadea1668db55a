// bench/baseline_eigen.hpp - the hand-written baseline: the same network with fixed-size Eigen matrices.
//
// What an engineer would write for speed with Eigen. Per sample: fixed-size matrices (no heap,
// sizes in the type, Eigen's own SIMD kernels) and backpropagation fused with the SGD update.
// Over a batch: the reference's own vectorised form, samples as the columns of one matrix per
// layer, so a layer is one matrix product and the activations, the cost and their derivatives
// run over whole rows with Eigen's vectorised exp and log1p. (That form ran the reference
// workload about 1.5× faster than a loop of fixed-size per-sample steps accumulating gradient
// sums, so it is the baseline.) It computes what ctnn does: relu hidden layers, a sigmoid output, binary
// cross-entropy whose gradient at the output's z is (a - y) / outputs, W -= η·mean(dW).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <span>

#include <Eigen/Core>

namespace bench {

/** A 3-layer perceptron (relu, relu, sigmoid) in fixed-size Eigen matrices. */
template <class Topology>
class eigen_mlp {
  static constexpr int in = static_cast<int>(Topology::inputs);
  static constexpr int h1 = static_cast<int>(Topology::hidden1);
  static constexpr int h2 = static_cast<int>(Topology::hidden2);
  static constexpr int out = static_cast<int>(Topology::outputs);

  template <int Rows>
  using vector = Eigen::Matrix<float, Rows, 1>;
  template <int Rows>
  using columns = Eigen::Matrix<float, Rows, Eigen::Dynamic>;

  /** Weights W (Out × In, so z = W·x) and biases b of one layer. */
  template <int In, int Out>
  struct layer {
    Eigen::Matrix<float, Out, In> w;
    vector<Out> b;
  };

 public:
  /** What a forward pass keeps for backpropagation. */
  struct trace {
    vector<h1> z1, a1;
    vector<h2> z2, a2;
    vector<out> z3, a3;
  };

  /** Samples as columns, and every per-layer matrix of a batch, allocated once outside the timed loop.
      The relu layers keep only a: relu'(z) is a > 0, since a = max(z, 0). */
  struct batch {
    columns<in> x;
    columns<out> y;
    columns<h1> a1, dz1;
    columns<h2> a2, dz2;
    columns<out> z3, a3, dz3;

    batch(std::span<const typename Topology::input> inputs, std::span<const typename Topology::output> targets)
        : x(in, size(inputs)), y(out, size(inputs)), a1(h1, size(inputs)), dz1(h1, size(inputs)),
          a2(h2, size(inputs)), dz2(h2, size(inputs)), z3(out, size(inputs)), a3(out, size(inputs)),
          dz3(out, size(inputs)) {
      for (Eigen::Index k = 0; k < x.cols(); ++k) {
        const auto s = static_cast<std::size_t>(k);
        x.col(k) = Eigen::Map<const vector<in>>(inputs[s].data());
        if (!targets.empty()) y.col(k) = Eigen::Map<const vector<out>>(targets[s].data());
      }
    }

   private:
    static Eigen::Index size(std::span<const typename Topology::input> inputs) {
      return static_cast<Eigen::Index>(inputs.size());
    }
  };

  /** Copies a ctnn network's parameters, so both start from the same weights. */
  explicit eigen_mlp(const typename Topology::net::params& p) {
    copy_layer(p.template layer<0>(), l1_);
    copy_layer(p.template layer<1>(), l2_);
    copy_layer(p.template layer<2>(), l3_);
  }

  /** Runs x through the network, keeping z and a of every layer in `t`; returns the output. */
  const vector<out>& forward(const typename Topology::input& x, trace& t) const {
    const Eigen::Map<const vector<in>> xv(x.data());
    t.z1 = l1_.b;
    t.z1.noalias() += l1_.w * xv;
    t.a1 = t.z1.cwiseMax(0.0f);
    t.z2 = l2_.b;
    t.z2.noalias() += l2_.w * t.a1;
    t.a2 = t.z2.cwiseMax(0.0f);
    t.z3 = l3_.b;
    t.z3.noalias() += l3_.w * t.a2;
    t.a3 = ((-t.z3.array()).exp() + 1.0f).inverse().matrix();
    return t.a3;
  }

  /** Trains on one sample: forward, backward, and W -= η·dW fused into each layer's
      rank-1 update, taken once the layer's Wᵀ·dz has been used. */
  void train_step(const typename Topology::input& x, const typename Topology::output& y, float learning_rate) {
    trace t;
    forward(x, t);
    const Eigen::Map<const vector<in>> xv(x.data());
    const vector<out> dz3 = (t.a3 - Eigen::Map<const vector<out>>(y.data())) / static_cast<float>(out);
    const vector<h2> dz2 = (t.z2.array() > 0.0f).select(l3_.w.transpose() * dz3, 0.0f);
    l3_.w.noalias() -= (learning_rate * dz3) * t.a2.transpose();
    l3_.b -= learning_rate * dz3;
    const vector<h1> dz1 = (t.z1.array() > 0.0f).select(l2_.w.transpose() * dz2, 0.0f);
    l2_.w.noalias() -= (learning_rate * dz2) * t.a1.transpose();
    l2_.b -= learning_rate * dz2;
    l1_.w.noalias() -= (learning_rate * dz1) * xv.transpose();
    l1_.b -= learning_rate * dz1;
  }

  /** Runs every column of b.x through the network into b.a3 (b.a1, b.a2 and b.z3 kept for training). */
  const columns<out>& forward_batch(batch& b) const {
    b.a1.noalias() = product(l1_.w, b.x);
    b.a1 = (b.a1.colwise() + l1_.b).cwiseMax(0.0f);
    b.a2.noalias() = product(l2_.w, b.a1);
    b.a2 = (b.a2.colwise() + l2_.b).cwiseMax(0.0f);
    b.z3.noalias() = product(l3_.w, b.a2);
    b.z3.colwise() += l3_.b;
    b.a3 = ((-b.z3.array()).exp() + 1.0f).inverse().matrix();
    return b.a3;
  }

  /** Results of one full-batch epoch, measured before its update, as ctnn::train reports them. */
  struct epoch_result {
    double cost;
    double accuracy;
  };

  /** Runs one full-batch epoch over b's columns, the reference's loop body in matrix form: forward,
      cost and accuracy, backward, one step with the mean gradient. */
  epoch_result train_epoch(batch& b, float learning_rate) {
    const auto m = static_cast<float>(b.x.cols());
    forward_batch(b);
    const auto z = b.z3.array();  // cost = mean of log(1 + e^z) - y·z, stable for any z
    const double cost = (z.max(0.0f) + (-z.abs()).exp().log1p() - b.y.array() * z).sum() / (m * out);
    const double accuracy = static_cast<double>(correct_count(b)) / static_cast<double>(m);

    b.dz3 = (b.a3 - b.y) / static_cast<float>(out);
    b.dz2.noalias() = product(l3_.w.transpose(), b.dz3);
    b.dz2 = (b.a2.array() > 0.0f).select(b.dz2, 0.0f);
    b.dz1.noalias() = product(l2_.w.transpose(), b.dz2);
    b.dz1 = (b.a1.array() > 0.0f).select(b.dz1, 0.0f);
    const float rate = learning_rate / m;
    l3_.w.noalias() -= rate * b.dz3 * b.a2.transpose();
    l3_.b -= rate * b.dz3.rowwise().sum();
    l2_.w.noalias() -= rate * b.dz2 * b.a1.transpose();
    l2_.b -= rate * b.dz2.rowwise().sum();
    l1_.w.noalias() -= rate * b.dz1 * b.x.transpose();
    l1_.b -= rate * b.dz1.rowwise().sum();
    return {cost, accuracy};
  }

  /** Returns weight (input i → output o) of layer `index`, for the equivalence check. */
  float weight(std::size_t index, std::size_t i, std::size_t o) const {
    const auto r = static_cast<Eigen::Index>(o), c = static_cast<Eigen::Index>(i);
    return index == 0 ? l1_.w(r, c) : index == 1 ? l2_.w(r, c) : l3_.w(r, c);
  }
  /** Returns bias o of layer `index`, for the equivalence check. */
  float bias(std::size_t index, std::size_t o) const {
    const auto r = static_cast<Eigen::Index>(o);
    return index == 0 ? l1_.b(r) : index == 1 ? l2_.b(r) : l3_.b(r);
  }

 private:
  template <class Params, int In, int Out>
  static void copy_layer(const Params& p, layer<In, Out>& l) {
    for (int i = 0; i < In; ++i)
      for (int o = 0; o < Out; ++o) l.w(o, i) = p.weight(static_cast<std::size_t>(i), static_cast<std::size_t>(o));
    for (int o = 0; o < Out; ++o) l.b(o) = p.biases[static_cast<std::size_t>(o)];
  }

  /** Returns w·x for a batch: Eigen's coefficient-based lazy product where the shared dimension is
      small (the reference network's 3 and 5 inputs), since GEMM's packing of a 3 × 10,000 matrix
      costs more than it saves (the reference workload ran 1.2× faster so); GEMM otherwise. */
  template <class W, class X>
  static auto product(const W& w, const X& x) {
    if constexpr (W::ColsAtCompileTime != Eigen::Dynamic && W::ColsAtCompileTime <= 8) {
      return w.lazyProduct(x);
    } else {
      return w * x;
    }
  }

  /** Counts the columns whose output names the target's class: one output thresholded at 0.5, else the argmax. */
  static Eigen::Index correct_count(const batch& b) {
    if constexpr (out == 1) {
      return ((b.a3.array() >= 0.5f) == (b.y.array() >= 0.5f)).count();
    } else {
      Eigen::Index correct = 0;
      for (Eigen::Index k = 0; k < b.a3.cols(); ++k) {
        Eigen::Index predicted = 0, expected = 0;
        b.a3.col(k).maxCoeff(&predicted);
        b.y.col(k).maxCoeff(&expected);
        correct += predicted == expected ? 1 : 0;
      }
      return correct;
    }
  }

  layer<in, h1> l1_;
  layer<h1, h2> l2_;
  layer<h2, out> l3_;
};

}  // namespace bench
