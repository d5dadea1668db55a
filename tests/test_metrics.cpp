// Metrics: classify, the confusion matrix with precision, recall and F1, and mse/mae for regression,
// on hand-made examples whose figures are worked out in the comments.
#include <catch2/catch.hpp>

#include <array>
#include <span>
#include <type_traits>

#include "ctnn/ctnn.hpp"

namespace {

// Three classes, ten samples; rows are the actual class, columns the predicted one:
//
//                predicted 0  1  2   | actual (row sum)
//      actual 0            2  1  1   | 4
//      actual 1            1  2  0   | 3
//      actual 2            0  1  2   | 3
//      predicted (column)  3  4  3   | 10, diagonal 6: accuracy 0.6
//
//   class 0: TP 2, FP 1, FN 2  precision 2/3, recall 2/4, F1 2·2/(2·2+1+2) = 4/7
//   class 1: TP 2, FP 2, FN 1  precision 2/4, recall 2/3, F1 4/(4+2+1)     = 4/7
//   class 2: TP 2, FP 1, FN 1  precision 2/3, recall 2/3, F1 4/(4+1+1)     = 2/3
//   macro precision (2/3 + 1/2 + 2/3)/3 = 11/18, macro recall (1/2 + 2/3 + 2/3)/3 = 11/18,
//   macro F1 (4/7 + 4/7 + 2/3)/3 = 38/63.
// (F1 as the harmonic mean: class 0, 2·(2/3)(1/2)/(2/3 + 1/2) = (2/3)/(7/6) = 4/7, the same.)
struct pair {
  std::size_t predicted, actual;
};
constexpr std::array<pair, 10> pairs{{{0, 0}, {0, 0}, {1, 0}, {2, 0}, {0, 1}, {1, 1}, {1, 1}, {1, 2}, {2, 2}, {2, 2}}};

template <std::size_t Classes>
constexpr ctnn::confusion_matrix<Classes> from_pairs() {
  ctnn::confusion_matrix<Classes> m{};
  for (const auto& p : pairs) m.add(p.predicted, p.actual);
  return m;
}

}  // namespace

TEST_CASE("a confusion matrix from (predicted, actual) pairs", "[metrics]") {
  constexpr auto m = from_pairs<3>();
  // Counting is exact integer work: compared with ==, and at compile time.
  STATIC_REQUIRE(m.counts == std::array<std::array<std::size_t, 3>, 3>{{{2, 1, 1}, {1, 2, 0}, {0, 1, 2}}});
  STATIC_REQUIRE(m.total() == 10);
  STATIC_REQUIRE(m.actually(0) == 4);
  STATIC_REQUIRE(m.predicted_as(1) == 4);
  STATIC_REQUIRE(m.true_positives(1) == 2);
  STATIC_REQUIRE(m.false_positives(1) == 2);
  STATIC_REQUIRE(m.false_negatives(1) == 1);

  // Each figure is one rounded division, or the mean of three: Approx's default (100 float ε,
  // about 1e-5 relative) is far looser than that and far tighter than any counting mistake (≥ 1/63).
  CHECK(m.accuracy() == Approx(0.6));
  CHECK(m.precision(0) == Approx(2.0 / 3));
  CHECK(m.precision(1) == Approx(1.0 / 2));
  CHECK(m.precision(2) == Approx(2.0 / 3));
  CHECK(m.recall(0) == Approx(1.0 / 2));
  CHECK(m.recall(1) == Approx(2.0 / 3));
  CHECK(m.recall(2) == Approx(2.0 / 3));
  CHECK(m.f1(0) == Approx(4.0 / 7));
  CHECK(m.f1(1) == Approx(4.0 / 7));
  CHECK(m.f1(2) == Approx(2.0 / 3));
  CHECK(m.macro_precision() == Approx(11.0 / 18));
  CHECK(m.macro_recall() == Approx(11.0 / 18));
  CHECK(m.macro_f1() == Approx(38.0 / 63));
  for (std::size_t c = 0; c < 3; ++c) {
    const double p = m.precision(c), r = m.recall(c);
    CHECK(m.f1(c) == Approx(2 * p * r / (p + r)));  // F1 is the harmonic mean where it is defined
  }

  // The figures are constexpr too, and can be asked for in float (no double on a float-only FPU).
  STATIC_REQUIRE(m.precision(1) == 0.5);
  STATIC_REQUIRE(std::is_same_v<decltype(m.macro_f1<float>()), float>);
  CHECK(m.macro_f1<float>() == Approx(38.0f / 63.0f));
}

TEST_CASE("confusion matrix: 0/0 counts as 0, and macro averages skip classes that never occur", "[metrics]") {
  // The same samples in a 4-class matrix: class 3 is neither actual nor predicted, so its
  // precision, recall and F1 are 0/0, defined as 0, and the macro averages stay over classes 0-2.
  constexpr auto m = from_pairs<4>();
  STATIC_REQUIRE(m.precision(3) == 0);
  STATIC_REQUIRE(m.recall(3) == 0);
  STATIC_REQUIRE(m.f1(3) == 0);
  CHECK(m.macro_precision() == Approx(11.0 / 18));
  CHECK(m.macro_f1() == Approx(38.0 / 63));

  // A classifier that always says 0, on 3 samples of class 0 and 2 of class 1:
  //   class 0: TP 3, FP 2, FN 0  precision 3/5, recall 1, F1 6/(6+2+0) = 3/4
  //   class 1: TP 0, FP 0, FN 2  precision 0/0 → 0, recall 0/2 = 0, F1 0/(0+0+2) = 0
  //   macro precision 0.3, macro recall 0.5, macro F1 0.375 (scikit-learn, zero_division=0, agrees)
  ctnn::confusion_matrix<2> always_zero{};
  for (const std::size_t actual : {0, 0, 0, 1, 1}) always_zero.add(0, actual);
  CHECK(always_zero.precision(1) == 0);
  CHECK(always_zero.recall(1) == 0);
  CHECK(always_zero.f1(1) == 0);
  CHECK(always_zero.precision(0) == Approx(0.6));
  CHECK(always_zero.recall(0) == 1);
  CHECK(always_zero.f1(0) == Approx(0.75));
  CHECK(always_zero.macro_precision() == Approx(0.3));
  CHECK(always_zero.macro_recall() == Approx(0.5));
  CHECK(always_zero.macro_f1() == Approx(0.375));

  // No samples: every figure is 0, not NaN.
  constexpr ctnn::confusion_matrix<3> empty{};
  STATIC_REQUIRE(empty.total() == 0);
  STATIC_REQUIRE(empty.accuracy() == 0);
  STATIC_REQUIRE(empty.macro_precision() == 0);
  STATIC_REQUIRE(empty.macro_recall() == 0);
  STATIC_REQUIRE(empty.macro_f1() == 0);
}

TEST_CASE("a class out of range is refused, not counted", "[metrics]") {
  ctnn::confusion_matrix<3> m{};
  CHECK(m.add(1, 2));
  CHECK_FALSE(m.add(3, 0));
  CHECK_FALSE(m.add(0, 7));
  CHECK(m.total() == 1);
  // Asked about a class not below 3, every count and ratio is 0 (constant evaluation: reading past
  // the counts would not compile).
  STATIC_REQUIRE([] {
    ctnn::confusion_matrix<3> c{};
    c.add(1, 2);
    c.add(2, 2);
    return c.true_positives(3) == 0 && c.false_positives(3) == 0 && c.false_negatives(5) == 0 &&
           c.actually(3) == 0 && c.predicted_as(4) == 0 && c.precision(3) == 0.0 && c.recall(3) == 0.0 &&
           c.f1(7) == 0.0 && c.true_positives(2) == 1 && c.actually(2) == 2;
  }());
}

namespace {
// z = (x0, x1, 0.5): classify picks x0, x1, or class 2 when both are below 0.5.
template <class T>
using three_class_net = ctnn::network<T, ctnn::dense<2, 3, ctnn::identity>>;

template <class T>
constexpr three_class_net<T> make_three_class_net() {
  three_class_net<T> m{};
  m.parameters().template layer<0>().weight(0, 0) = 1;
  m.parameters().template layer<0>().weight(1, 1) = 1;
  m.parameters().template layer<0>().biases = {0, 0, T(0.5)};
  return m;
}
}  // namespace

TEMPLATE_TEST_CASE("a confusion matrix from a network and a dataset", "[metrics]", float, double) {
  const auto model = make_three_class_net<TestType>();
  using net = three_class_net<TestType>;
  // Predictions: 0, 1, 2, 1, 2, 0; targets (one-hot): 0, 1, 2, 0, 1, 0.
  const std::array<typename net::input, 6> xs{{{1, 0}, {0, 1}, {0.2f, 0.1f}, {0.9f, 0.95f}, {0.4f, 0.3f}, {0.8f, 0.6f}}};
  const std::array<typename net::output, 6> ys{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {1, 0, 0}}};
  const auto m = ctnn::make_confusion_matrix(model, std::span{xs}, std::span{ys});
  STATIC_REQUIRE(std::is_same_v<decltype(m), const ctnn::confusion_matrix<3>>);
  CHECK(m.counts == std::array<std::array<std::size_t, 3>, 3>{{{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}});
  // The diagonal agrees with ctnn::accuracy, which classifies the same way (4 of 6, one rounding each).
  CHECK(m.accuracy() == Approx(ctnn::accuracy(model, std::span{xs}, std::span{ys})));
  CHECK(m.accuracy() == Approx(4.0 / 6));

  // Spans of different lengths: the first min(n) samples, as accuracy does.
  ctnn::confusion_matrix<3> first_two{};
  first_two.add(model, std::span{xs}.first(2), std::span{ys});
  CHECK(first_two.total() == 2);
}

TEMPLATE_TEST_CASE("a one-output network has two classes, split at 0.5", "[metrics]", float, double) {
  using net = ctnn::network<TestType, ctnn::dense<1, 1, ctnn::identity>>;
  net model{};
  model.parameters().template layer<0>().weights = {1};  // z = x
  STATIC_REQUIRE(ctnn::class_count<net> == 2);
  // Predicted 1, 0, 1, 0, 1; actual 1, 1, 0, 0, 1.
  const std::array<typename net::input, 5> xs{{{0.9f}, {0.2f}, {0.6f}, {0.4f}, {0.5f}}};
  const std::array<typename net::output, 5> ys{{{1}, {1}, {0}, {0}, {1}}};
  const auto m = ctnn::make_confusion_matrix(model, std::span{xs}, std::span{ys});
  CHECK(m.counts == std::array<std::array<std::size_t, 2>, 2>{{{1, 1}, {1, 2}}});
  // Class 1: TP 2, FP 1, FN 1: precision = recall = F1 = 2/3 (one rounded division).
  CHECK(m.precision(1) == Approx(2.0 / 3));
  CHECK(m.recall(1) == Approx(2.0 / 3));
  CHECK(m.f1(1) == Approx(2.0 / 3));
}

namespace {
// z = (x, 2x): inputs {1}, {2} give {1, 2}, {2, 4}; against targets {1, 0}, {2, 7} the errors are
// (0, 2) and (0, -3): squared 0, 4, 0, 9, mean 13/4 = 3.25; absolute 0, 2, 0, 3, mean 5/4 = 1.25.
template <class T>
using regression_net = ctnn::network<T, ctnn::dense<1, 2, ctnn::identity>>;

template <class T>
constexpr regression_net<T> make_regression_net() {
  regression_net<T> m{};
  m.parameters().template layer<0>().weights = {1, 2};
  return m;
}
template <class T>
constexpr std::array<typename regression_net<T>::input, 2> regression_xs{{{1}, {2}}};
template <class T>
constexpr std::array<typename regression_net<T>::output, 2> regression_ys{{{1, 0}, {2, 7}}};
}  // namespace

TEMPLATE_TEST_CASE("mse and mae average over samples and outputs", "[metrics]", float, double) {
  constexpr auto model = make_regression_net<TestType>();
  constexpr std::span xs{regression_xs<TestType>};
  constexpr std::span ys{regression_ys<TestType>};
  // Small integers and a division by 4: every step is exact in float and double, so ==.
  STATIC_REQUIRE(ctnn::mse(model, xs, ys) == TestType(3.25));
  STATIC_REQUIRE(ctnn::mae(model, xs, ys) == TestType(1.25));
  STATIC_REQUIRE(std::is_same_v<decltype(ctnn::mse(model, xs, ys)), TestType>);
  CHECK(ctnn::mse(model, xs, ys) == TestType(3.25));
  CHECK(ctnn::mae(model, xs, ys) == TestType(1.25));
  // The first sample alone: errors (0, 2): mse 2, mae 1. No samples: 0.
  CHECK(ctnn::mse(model, xs.first(1), ys) == TestType(2));
  CHECK(ctnn::mae(model, xs, ys.first(1)) == TestType(1));
  CHECK(ctnn::mse(model, xs.first(0), ys) == TestType(0));
  CHECK(ctnn::mae(model, xs.first(0), ys.first(0)) == TestType(0));
}

TEST_CASE("mse, the metric, agrees with mean_squared_error, the loss", "[metrics]") {
  // The loss averages over the outputs of one sample; the metric also over the samples.
  // Float sums of a few numbers of order 10: a few ulp, 1e-6 relative.
  const auto model = make_regression_net<float>();
  float loss_sum = 0;
  for (std::size_t k = 0; k < 2; ++k) {
    const auto a = model.predict(regression_xs<float>[k]);
    loss_sum += ctnn::mean_squared_error::value<ctnn::identity>(a, a, regression_ys<float>[k]);
  }
  CHECK(ctnn::mse(model, std::span{regression_xs<float>}, std::span{regression_ys<float>}) ==
        Approx(loss_sum / 2).epsilon(1e-6));
}
