// bench/baseline_fann.hpp - the same network in FANN (Fast Artificial Neural Network Library), float build.
//
// FANN is the long-standing C library for small MLPs on a CPU. Its networks are built at run
// time (sizes are data, not types), which is what ctnn's compile-time sizes are measured against.
// Differences that cannot be removed, and which the report states:
//  - hidden activation: FANN_LINEAR_PIECE_RECT (ReLU) where this FANN has it (2.3+); Debian's
//    2.2 has not, so FANN_SIGMOID_SYMMETRIC (tanh-like, one exp per neuron) stands in;
//  - output: FANN_SIGMOID at FANN's default steepness 0.5, which is 1 / (1 + e^-z), as ctnn's;
//  - loss gradient: FANN has no cross-entropy; FANN_ERRORFUNC_LINEAR gives (y - a)·σ'(z),
//    an error of the same cost as ctnn's a - y.
#pragma once

#include <floatfann.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <tuple>

namespace bench {

#ifdef CTNN_BENCH_FANN_HAS_RELU
inline constexpr fann_activationfunc_enum fann_hidden_activation = FANN_LINEAR_PIECE_RECT;
inline constexpr const char* fann_hidden_activation_name = "FANN_LINEAR_PIECE_RECT";
#else
inline constexpr fann_activationfunc_enum fann_hidden_activation = FANN_SIGMOID_SYMMETRIC;
inline constexpr const char* fann_hidden_activation_name = "FANN_SIGMOID_SYMMETRIC";
#endif

/** A FANN network of the topology's shape, starting from a ctnn network's weights. */
template <class Topology>
class fann_mlp {
 public:
  explicit fann_mlp(const typename Topology::net::params& p, float learning_rate)
      : ann_{fann_create_standard(4, unsigned{Topology::inputs}, unsigned{Topology::hidden1},
                                  unsigned{Topology::hidden2}, unsigned{Topology::outputs})} {
    if (ann_ == nullptr) fail("fann_create_standard failed");
    fann_set_activation_function_hidden(ann_, fann_hidden_activation);
    fann_set_activation_function_output(ann_, FANN_SIGMOID);
    fann_set_train_error_function(ann_, FANN_ERRORFUNC_LINEAR);
    fann_set_learning_rate(ann_, learning_rate);
    copy_layer(1, p.template layer<0>());
    copy_layer(2, p.template layer<1>());
    copy_layer(3, p.template layer<2>());
  }
  ~fann_mlp() { fann_destroy(ann_); }
  fann_mlp(const fann_mlp&) = delete;
  fann_mlp& operator=(const fann_mlp&) = delete;

  /** Runs one sample; the output lives inside the network until the next call. */
  const fann_type* run(const typename Topology::input& x) { return fann_run(ann_, const_cast<fann_type*>(x.data())); }

  /** Trains on one sample: FANN's incremental fann_train (forward, backward, update). */
  void train_step(const typename Topology::input& x, const typename Topology::output& y) {
    fann_train(ann_, const_cast<fann_type*>(x.data()), const_cast<fann_type*>(y.data()));
  }

  /** Trains one full-batch epoch (FANN_TRAIN_BATCH: summed slopes, one update with their mean); returns the MSE. */
  float train_epoch_batch(fann_train_data* data) {
    fann_set_training_algorithm(ann_, FANN_TRAIN_BATCH);
    return fann_train_epoch(ann_, data);
  }

 private:
  [[noreturn]] static void fail(const char* what) {
    std::fprintf(stderr, "baseline_fann: %s\n", what);
    std::abort();
  }

  /** Writes one ctnn layer into FANN layer `index` (0 is FANN's input layer). FANN has no O(n)
      public setter (fann_set_weight_array searches every connection for each weight), so this
      writes its weight array, checking first that every neuron's connections are laid out as
      fann_create_standard makes them: one per neuron of the previous layer, in order, then the bias. */
  template <class LayerParams>
  void copy_layer(std::size_t index, const LayerParams& p) {
    constexpr std::size_t out = std::tuple_size_v<decltype(p.biases)>;
    constexpr std::size_t in = std::tuple_size_v<decltype(p.weights)> / out;
    const fann_layer& previous = ann_->first_layer[index - 1];
    const fann_layer& layer = ann_->first_layer[index];
    for (std::size_t o = 0; o < out; ++o) {
      const fann_neuron& neuron = layer.first_neuron[o];
      if (neuron.last_con - neuron.first_con != in + 1) fail("unexpected connection count");
      for (std::size_t i = 0; i <= in; ++i) {
        const std::size_t c = neuron.first_con + i;
        if (ann_->connections[c] != previous.first_neuron + i) fail("unexpected connection order");
        ann_->weights[c] = i < in ? p.weight(i, o) : p.biases[o];
      }
    }
  }

  fann* ann_;
};

/** Training data in FANN's own structure, copied from ctnn-typed arrays. */
class fann_data_set {
 public:
  template <class Input, class Output>
  fann_data_set(std::span<const Input> inputs, std::span<const Output> targets)
      : data_{fann_create_train(static_cast<unsigned>(inputs.size()), unsigned{std::tuple_size_v<Input>},
                                unsigned{std::tuple_size_v<Output>})} {
    if (data_ == nullptr) {
      std::fprintf(stderr, "baseline_fann: fann_create_train failed\n");
      std::abort();
    }
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      for (std::size_t i = 0; i < inputs[k].size(); ++i) data_->input[k][i] = inputs[k][i];
      for (std::size_t i = 0; i < targets[k].size(); ++i) data_->output[k][i] = targets[k][i];
    }
  }
  ~fann_data_set() { fann_destroy_train(data_); }
  fann_data_set(const fann_data_set&) = delete;
  fann_data_set& operator=(const fann_data_set&) = delete;

  fann_train_data* get() const { return data_; }

 private:
  fann_train_data* data_;
};

}  // namespace bench
