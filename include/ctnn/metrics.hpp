// ctnn/metrics.hpp - classification from outputs; accuracy, confusion matrix, precision, recall
// and F1 for classifiers; mean squared and mean absolute error for regression.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <span>

namespace ctnn {

/** Returns the class an output stands for: for one output, 1 if it is at least 0.5,
    else 0; for several, the index of the largest (the first of equals). */
template <class T, std::size_t N>
constexpr std::size_t classify(const std::array<T, N>& output) {
  if constexpr (N == 1) {
    return output[0] >= T{0.5} ? 1 : 0;
  } else {
    std::size_t best = 0;
    for (std::size_t k = 1; k < N; ++k)
      if (output[k] > output[best]) best = k;
    return best;
  }
}

/** Tells whether an output names the same class as its target. */
template <class T, std::size_t N>
constexpr bool is_correct(const std::array<T, N>& output, const std::array<T, N>& target) {
  return classify(output) == classify(target);
}

/** Returns the fraction of samples the network classifies correctly (0 for no samples). */
template <class Net>
constexpr double accuracy(const Net& model, std::span<const typename Net::input> inputs,
                          std::span<const typename Net::output> targets) {
  const std::size_t n = inputs.size() < targets.size() ? inputs.size() : targets.size();
  if (n == 0) return 0.0;
  std::size_t correct = 0;
  for (std::size_t k = 0; k < n; ++k) correct += is_correct(model.predict(inputs[k]), targets[k]) ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(n);
}

/** The number of classes a network's output stands for: 2 for one (sigmoid) output, else one per output. */
template <class Net>
inline constexpr std::size_t class_count = Net::output_size == 1 ? 2 : Net::output_size;

/** Counts of (actual, predicted) class pairs, counts[actual][predicted] (the layout of
    scikit-learn's confusion_matrix), with the per-class and macro-averaged figures.

    Ratios with a zero denominator (a class never predicted has no precision, a class that
    never occurs no recall) are defined as 0, as scikit-learn's zero_division=0. Macro
    averages are the plain means over the classes that occur as actual or predicted class,
    which are the classes scikit-learn averages over when it finds the labels in the data;
    with no samples at all they are 0. Ratios are computed in R (double unless asked for
    float, so a single-precision FPU needs no soft-float double).
    Pitfall: counts are std::size_t, Classes² of them; a confusion_matrix<10> is 100 words. */
template <std::size_t Classes>
struct confusion_matrix {
  static_assert(Classes >= 2, "ctnn::confusion_matrix: a classifier needs at least two classes");

  static constexpr std::size_t classes = Classes;
  std::array<std::array<std::size_t, Classes>, Classes> counts{};

  /** Counts one sample; returns false and counts nothing if either class is not below Classes. */
  constexpr bool add(std::size_t predicted, std::size_t actual) {
    if (predicted >= Classes || actual >= Classes) return false;
    ++counts[actual][predicted];
    return true;
  }

  /** Counts the network's classification (see classify) of each input against its target's,
      for the first min(inputs.size(), targets.size()) samples, as accuracy does. */
  template <class Net>
    requires(class_count<Net> == Classes)
  constexpr void add(const Net& model, std::span<const typename Net::input> inputs,
                     std::span<const typename Net::output> targets) {
    const std::size_t n = inputs.size() < targets.size() ? inputs.size() : targets.size();
    for (std::size_t k = 0; k < n; ++k) add(classify(model.predict(inputs[k])), classify(targets[k]));
  }

  /** Returns the number of samples counted. */
  constexpr std::size_t total() const {
    std::size_t sum = 0;
    for (const auto& row : counts)
      for (const std::size_t c : row) sum += c;
    return sum;
  }

  // The counts and ratios of a class c not below Classes are 0, as add() counts nothing for one.

  /** Samples of class c classified as c. */
  constexpr std::size_t true_positives(std::size_t c) const { return c < Classes ? counts[c][c] : 0; }
  /** Samples of another class classified as c. */
  constexpr std::size_t false_positives(std::size_t c) const { return predicted_as(c) - true_positives(c); }
  /** Samples of class c classified as another class. */
  constexpr std::size_t false_negatives(std::size_t c) const { return actually(c) - true_positives(c); }
  /** Samples of class c (the row sum; scikit-learn's "support"). */
  constexpr std::size_t actually(std::size_t c) const {
    std::size_t sum = 0;
    if (c >= Classes) return sum;
    for (const std::size_t n : counts[c]) sum += n;
    return sum;
  }
  /** Samples classified as c (the column sum). */
  constexpr std::size_t predicted_as(std::size_t c) const {
    std::size_t sum = 0;
    if (c >= Classes) return sum;
    for (const auto& row : counts) sum += row[c];
    return sum;
  }

  /** Returns the fraction of samples on the diagonal (0 for no samples). */
  template <std::floating_point R = double>
  constexpr R accuracy() const {
    std::size_t diagonal = 0;
    for (std::size_t c = 0; c < Classes; ++c) diagonal += counts[c][c];
    return ratio<R>(diagonal, total());
  }

  /** Returns TP / (TP + FP) for class c: of the samples classified as c, the fraction that are c. */
  template <std::floating_point R = double>
  constexpr R precision(std::size_t c) const {
    return ratio<R>(true_positives(c), predicted_as(c));
  }

  /** Returns TP / (TP + FN) for class c: of the samples of class c, the fraction found. */
  template <std::floating_point R = double>
  constexpr R recall(std::size_t c) const {
    return ratio<R>(true_positives(c), actually(c));
  }

  /** Returns the harmonic mean of precision and recall for class c, as 2·TP / (2·TP + FP + FN)
      (the same value, and 0 rather than 0/0 when TP = 0). */
  template <std::floating_point R = double>
  constexpr R f1(std::size_t c) const {
    return ratio<R>(2 * true_positives(c), 2 * true_positives(c) + false_positives(c) + false_negatives(c));
  }

  /** Returns the mean precision over the classes that occur. */
  template <std::floating_point R = double>
  constexpr R macro_precision() const {
    return macro<R>([this](std::size_t c) { return precision<R>(c); });
  }

  /** Returns the mean recall over the classes that occur. */
  template <std::floating_point R = double>
  constexpr R macro_recall() const {
    return macro<R>([this](std::size_t c) { return recall<R>(c); });
  }

  /** Returns the mean F1 over the classes that occur (the mean of per-class F1s, as scikit-learn's
      f1_score(average="macro"), not the F1 of the macro precision and recall). */
  template <std::floating_point R = double>
  constexpr R macro_f1() const {
    return macro<R>([this](std::size_t c) { return f1<R>(c); });
  }

  friend constexpr bool operator==(const confusion_matrix&, const confusion_matrix&) = default;

 private:
  template <class R>
  static constexpr R ratio(std::size_t numerator, std::size_t denominator) {
    return denominator == 0 ? R{0} : static_cast<R>(numerator) / static_cast<R>(denominator);
  }

  template <class R, class PerClass>
  constexpr R macro(PerClass per_class) const {
    R sum{0};
    std::size_t present = 0;
    for (std::size_t c = 0; c < Classes; ++c) {
      if (actually(c) == 0 && predicted_as(c) == 0) continue;
      sum += per_class(c);
      ++present;
    }
    return present == 0 ? R{0} : sum / static_cast<R>(present);
  }
};

/** Returns the confusion matrix of the network's classifications of inputs against targets
    (see confusion_matrix::add), with class_count<Net> classes. */
template <class Net>
constexpr confusion_matrix<class_count<Net>> make_confusion_matrix(const Net& model,
                                                                   std::span<const typename Net::input> inputs,
                                                                   std::span<const typename Net::output> targets) {
  confusion_matrix<class_count<Net>> matrix{};
  matrix.add(model, inputs, targets);
  return matrix;
}

namespace detail {
template <class Net, class Error>
constexpr typename Net::scalar mean_error(const Net& model, std::span<const typename Net::input> inputs,
                                          std::span<const typename Net::output> targets, Error error) {
  using T = typename Net::scalar;
  const std::size_t n = inputs.size() < targets.size() ? inputs.size() : targets.size();
  if (n == 0) return T{0};
  T sum{0};
  for (std::size_t k = 0; k < n; ++k) {
    const auto output = model.predict(inputs[k]);
    for (std::size_t o = 0; o < Net::output_size; ++o) sum += error(output[o] - targets[k][o]);
  }
  return sum / (static_cast<T>(n) * static_cast<T>(Net::output_size));
}
}  // namespace detail

/** Returns the network's mean squared error on a dataset, (1/(n·N)) Σ (a - y)² over the first
    n = min(inputs.size(), targets.size()) samples and all N outputs; 0 for no samples. A metric in
    the network's scalar type (the loss of the same name is ctnn::mean_squared_error, in loss.hpp). */
template <class Net>
constexpr typename Net::scalar mse(const Net& model, std::span<const typename Net::input> inputs,
                                   std::span<const typename Net::output> targets) {
  return detail::mean_error(model, inputs, targets, [](auto e) { return e * e; });
}

/** Returns the network's mean absolute error on a dataset, (1/(n·N)) Σ |a - y|, as mse. */
template <class Net>
constexpr typename Net::scalar mae(const Net& model, std::span<const typename Net::input> inputs,
                                   std::span<const typename Net::output> targets) {
  return detail::mean_error(model, inputs, targets, [](auto e) { return e < 0 ? -e : e; });
}

}  // namespace ctnn
