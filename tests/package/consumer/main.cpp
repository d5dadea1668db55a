#include <ctnn/ctnn.hpp>

using net = ctnn::network<float, ctnn::dense<2, 4, ctnn::tanh>, ctnn::dense<4, 1, ctnn::sigmoid>>;

int main() {
  constexpr std::array<net::input, 4> xs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
  constexpr std::array<net::output, 4> ys{{{0}, {1}, {1}, {0}}};
  net m{ctnn::xavier{}, 3};
  const auto report = ctnn::train(m, xs, ys, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 1.0}, {.epochs = 2000});
  return report.status == ctnn::train_status::completed && ctnn::accuracy(m, xs, ys) == 1.0 ? 0 : 1;
}
