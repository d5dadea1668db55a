// Ten classes on real data: handwritten digits (1,797 images of 8x8 pixels, each pixel a count
// from 0 to 16; data/digits.rst). A 64-64-10 network (relu, softmax) learns them with categorical
// cross-entropy and Adam on mini-batches. Prints the held-out accuracy, the confusion matrix and
// each class's precision, recall and F1, and writes history.csv and history.svg (cost and
// accuracy per epoch, training against held-out).
//
//   digits [--data FILE] [--seed N] [--epochs N] [--learning-rate X] [--weight-decay X]
//          [--batch-size N] [--out DIR]
//
// The rows are shuffled with --seed and split 80/20; the held-out fifth never steers training
// (it is evaluated after each epoch for the plot only). The pixels are scaled from 0..16 to 0..1.
// --seed also draws the initial weights and the order of the samples in each epoch.
//
// Copy this folder to start your own project: it builds alone against an installed ctnn, and
// the default --data is the copy of the data in its data/ folder (a path fixed when it is built).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ctnn/ctnn.hpp>
#include <ctnn/host/command_line.hpp>
#include <ctnn/host/csv.hpp>
#include <ctnn/host/history.hpp>
#include <ctnn/host/print.hpp>
#include <ctnn/host/samples.hpp>
#include <ctnn/host/svg_plot.hpp>

#ifndef DIGITS_DATA  // CMakeLists.txt sets it to this folder's data/digits.csv
#define DIGITS_DATA "data/digits.csv"
#endif

namespace {

constexpr std::size_t features = 64;
constexpr std::size_t classes = 10;
using net = ctnn::network<float,
                          ctnn::dense<features, 64, ctnn::relu>,
                          ctnn::dense<64, classes, ctnn::softmax>>;

/** Settings from the command line. */
struct options {
  std::filesystem::path data = DIGITS_DATA;
  std::uint64_t seed = 1;  // draws the split, the initial weights and the order of the samples
  std::size_t epochs = 30;
  double learning_rate = 0.003;
  double weight_decay = 0;
  std::size_t batch_size = 16;
  std::filesystem::path out = ".";
};

constexpr const char* usage = R"(usage: iris [options]
Trains a 4-16-3 network to tell three species of iris apart; prints held-out metrics.
  --data FILE         the data: a first line that is skipped (scikit-learn's "150,4,setosa,versicolor,virginica"),
                      then rows of 4 numbers and a class 0 (setosa), 1 (versicolor) or 2 (virginica)
                      (default: the data/digits.csv this program was built with)
  --seed N            seed of the split, the initial weights and the sample order (default 1)
  --epochs N          epochs of training (default 30)
  --learning-rate X   Adam's step size (default 0.003)
  --weight-decay X    Adam's L2 penalty on the weights (default 0)
  --batch-size N      samples per step; 0 = the full batch (default 16)
  --out DIR           where to write history.csv and history.svg (default .)
  --help              show this text
)";

constexpr ctnn::host::flag<options> flags[] = {
    {"--data", "a file name",
     [](std::string_view v, options& o) {
       o.data = v;
       return !v.empty();
     }},
    {"--seed", "a whole number", [](std::string_view v, options& o) { return ctnn::host::parse_number(v, o.seed); }},
    {"--epochs", "a whole number from 1 to 1000000",
     [](std::string_view v, options& o) { return ctnn::host::parse_number(v, o.epochs) && o.epochs >= 1 && o.epochs <= 1'000'000; }},
    {"--learning-rate", "a positive number",
     [](std::string_view v, options& o) {
       return ctnn::host::parse_number(v, o.learning_rate) && o.learning_rate > 0 && std::isfinite(o.learning_rate);
     }},
    {"--weight-decay", "a number, 0 or more",
     [](std::string_view v, options& o) {
       return ctnn::host::parse_number(v, o.weight_decay) && o.weight_decay >= 0 && std::isfinite(o.weight_decay);
     }},
    {"--batch-size", "a whole number, 0 for the full batch",
     [](std::string_view v, options& o) { return ctnn::host::parse_number(v, o.batch_size); }},
    {"--out", "a directory",
     [](std::string_view v, options& o) {
       o.out = v;
       return !v.empty();
     }},
};

using dataset = ctnn::host::samples<net::input, net::output>;

constexpr std::array<const char*, classes> class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

/** Prints the confusion matrix and each class's precision, recall and F1. */
void print_metrics(const ctnn::confusion_matrix<classes>& m) {
  std::printf("confusion matrix (rows: actual digit, columns: predicted digit)\n%-10s", "");
  for (const char* name : class_names) std::printf(" %4s", name);
  std::printf("\n");
  for (std::size_t actual = 0; actual < classes; ++actual) {
    std::printf("%-10s", class_names[actual]);
    for (std::size_t predicted = 0; predicted < classes; ++predicted) std::printf(" %4zu", m.counts[actual][predicted]);
    std::printf("\n");
  }
  std::printf("%-10s %10s %10s %10s %10s\n", "class", "precision", "recall", "F1", "support");
  for (std::size_t c = 0; c < classes; ++c)
    std::printf("%-10s %10.4f %10.4f %10.4f %10zu\n", class_names[c], m.precision(c), m.recall(c), m.f1(c),
                m.actually(c));
  std::printf("%-10s %10.4f %10.4f %10.4f %10zu\n", "macro", m.macro_precision(), m.macro_recall(), m.macro_f1(),
              m.total());
}

}  // namespace

int main(int argc, char** argv) {
  if (std::find(argv + 1, argv + argc, std::string_view{"--help"}) != argv + argc) {
    std::fputs(usage, stdout);
    return 0;
  }
  options o;
  if (!ctnn::host::parse_command_line("digits", argc, argv, flags, o)) return 2;

  // No header line. Each class, a whole number, becomes a one-hot target of 10 values for the softmax.
  auto file = ctnn::host::read_labelled_csv<float, features, classes>(o.data, ctnn::host::csv_header::absent);
  if (!file.ok) {
    std::fprintf(stderr, "digits: %s\n", file.message.c_str());
    return 2;
  }
  if (file.inputs.size() < 10) {
    std::fprintf(stderr, "digits: %s: needs at least 10 rows, to hold out 20%%\n", o.data.string().c_str());
    return 2;
  }
  // One seed, three independent streams: SplitMix64 outputs make good seeds.
  ctnn::random_engine seeds{o.seed};
  const std::uint64_t split_seed = seeds.next(), init_seed = seeds.next(), order_seed = seeds.next();
  const std::size_t held_out_count = file.inputs.size() / 5;
  auto [training, held_out] =
      ctnn::host::shuffle_and_split(dataset{std::move(file.inputs), std::move(file.targets)}, held_out_count, split_seed);

  // Pixels from 0..16 to 0..1: a fixed scale, the same for every image. (Standardising would divide
  // rare corner pixels, almost always 0 in the training split, by a tiny deviation, and blow them up.)
  for (dataset* d : {&training, &held_out})
    for (net::input& x : d->inputs)
      for (float& pixel : x) pixel /= 16.0f;

  // Before training, so a bad --out does not cost a training run.
  std::error_code error;
  std::filesystem::create_directories(o.out, error);
  if (error) {
    std::fprintf(stderr, "digits: %s: cannot create the directory: %s\n", o.out.string().c_str(),
                 error.message().c_str());
    return 2;
  }

  std::printf("%zu samples: %zu to train, %zu held out\n", training.inputs.size() + held_out.inputs.size(),
              training.inputs.size(), held_out.inputs.size());
  net model{ctnn::he{}, init_seed};
  ctnn::host::history history;
  ctnn::host::progress show{o.epochs};
  // The held-out split as validation without patience: figures for the plot, no early stopping.
  const ctnn::validation<net> plot_only{held_out.inputs, held_out.targets};
  const ctnn::train_report report =
      ctnn::train(model, training.inputs, training.targets, plot_only, ctnn::categorical_cross_entropy{},
                  ctnn::adam{.learning_rate = o.learning_rate, .weight_decay = o.weight_decay},
                  {.epochs = o.epochs, .batch_size = o.batch_size, .shuffle = true, .shuffle_seed = order_seed},
                  [&](const ctnn::epoch_stats& s) {
                    show(s);
                    history(s);
                  });
  if (!report.ok()) {
    show.finish();
    std::fprintf(stderr, "digits: training failed: %s\n", ctnn::to_string(report.status));
    return 1;
  }

  std::printf("training accuracy %.4f\n", ctnn::accuracy(model, training.inputs, training.targets));
  const auto matrix = ctnn::make_confusion_matrix(model, held_out.inputs, held_out.targets);
  std::size_t correct = 0;
  for (std::size_t c = 0; c < classes; ++c) correct += matrix.true_positives(c);
  std::printf("held-out accuracy %.4f (%zu of %zu)\n", matrix.accuracy(), correct, matrix.total());
  print_metrics(matrix);

  const std::filesystem::path csv_path = o.out / "history.csv";
  const std::filesystem::path svg_path = o.out / "history.svg";
  ctnn::host::io_result written = history.write_csv(csv_path);
  if (written.ok) written = ctnn::host::write_history_svg(svg_path, history, "Handwritten digits, 64-64-10 network");
  if (!written.ok) {
    std::fprintf(stderr, "digits: %s\n", written.message.c_str());
    return 1;
  }
  std::printf("wrote %s and %s\n", csv_path.string().c_str(), svg_path.string().c_str());
  return 0;
}
