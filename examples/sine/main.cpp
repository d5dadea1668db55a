// Regression: a 1-32-32-1 network (tanh, tanh, identity) learns y = sin(x) for x in [-π, π] from
// generated samples, with mean squared error and Adam on mini-batches. Prints the held-out mean
// squared and mean absolute error, and writes history.csv and history.svg (cost per epoch,
// training against held-out) and fit.csv (x, sin x and the network's output on a grid).
//
//   sine [--seed N] [--samples N] [--epochs N] [--learning-rate X] [--batch-size N] [--out DIR]
//
// --seed draws the samples, the initial weights and the order of the samples in each epoch. A
// fifth of the samples is held out; it never steers training (it is evaluated after each epoch for
// the plot only). The "accuracy" of the history and its plot is a classifier's figure (output and
// target on the same side of 0.5) and means little here: read the cost.
//
// Copy this folder to start your own project: it builds alone against an installed ctnn.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <string>
#include <string_view>
#include <vector>

#include <ctnn/ctnn.hpp>
#include <ctnn/host/command_line.hpp>
#include <ctnn/host/file.hpp>
#include <ctnn/host/history.hpp>
#include <ctnn/host/print.hpp>
#include <ctnn/host/samples.hpp>
#include <ctnn/host/svg_plot.hpp>

namespace {

using net = ctnn::network<float,
                          ctnn::dense<1, 32, ctnn::tanh>,
                          ctnn::dense<32, 32, ctnn::tanh>,
                          ctnn::dense<32, 1, ctnn::identity>>;

/** Settings from the command line. */
struct options {
  std::uint64_t seed = 1;  // draws the samples, the initial weights and the order of the samples
  std::size_t samples = 1000;
  std::size_t epochs = 300;
  double learning_rate = 0.001;
  std::size_t batch_size = 16;
  std::filesystem::path out = ".";
};

constexpr const char* usage = R"(usage: sine [options]
Trains a 1-32-32-1 network to compute sin(x) on [-pi, pi]; prints the held-out errors.
  --seed N            seed of the samples, the initial weights and the sample order (default 1)
  --samples N         samples to generate, 10 to 10000000; a fifth is held out (default 1000)
  --epochs N          epochs of training (default 300)
  --learning-rate X   Adam's step size (default 0.001)
  --batch-size N      samples per step; 0 = the full batch (default 16)
  --out DIR           where to write history.csv, history.svg and fit.csv (default .)
  --help              show this text
)";

constexpr ctnn::host::flag<options> flags[] = {
    {"--seed", "a whole number", [](std::string_view v, options& o) { return ctnn::host::parse_number(v, o.seed); }},
    {"--samples", "a whole number from 10 to 10000000",
     [](std::string_view v, options& o) { return ctnn::host::parse_number(v, o.samples) && o.samples >= 10 && o.samples <= 10'000'000; }},
    {"--epochs", "a whole number from 1 to 1000000",
     [](std::string_view v, options& o) { return ctnn::host::parse_number(v, o.epochs) && o.epochs >= 1 && o.epochs <= 1'000'000; }},
    {"--learning-rate", "a positive number",
     [](std::string_view v, options& o) {
       return ctnn::host::parse_number(v, o.learning_rate) && o.learning_rate > 0 && std::isfinite(o.learning_rate);
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

/** The network's input for x: x / π, so that [-π, π] becomes [-1, 1], where tanh units start out
    neither flat nor saturated. A fixed scale, the same in training and in use. */
net::input input_of(double x) { return {static_cast<float>(x / std::numbers::pi)}; }

/** Returns `count` samples (x, sin x) with x uniform in [-π, π), drawn from `seed`. */
dataset make_sine(std::size_t count, std::uint64_t seed) {
  ctnn::random_engine rng{seed};
  dataset d;
  for (std::size_t k = 0; k < count; ++k) {
    const double x = rng.uniform(-std::numbers::pi, std::numbers::pi);
    d.inputs.push_back(input_of(x));
    d.targets.push_back({static_cast<float>(std::sin(x))});
  }
  return d;
}

/** Writes "x,sin_x,network" at 201 points from -π to π: the fit, to plot with any tool. */
ctnn::host::io_result write_fit(const std::filesystem::path& path, const net& model) {
  std::string text = "x,sin_x,network\n";
  constexpr int steps = 200;
  char line[96];
  for (int k = 0; k <= steps; ++k) {
    const double x = -std::numbers::pi + 2 * std::numbers::pi * k / steps;
    const int length =
        std::snprintf(line, sizeof line, "%.6f,%.6f,%.6f\n", x, std::sin(x), static_cast<double>(model.predict(input_of(x))[0]));
    text.append(line, static_cast<std::size_t>(length));
  }
  return ctnn::host::write_text_file(path, text);
}

}  // namespace

int main(int argc, char** argv) {
  if (std::find(argv + 1, argv + argc, std::string_view{"--help"}) != argv + argc) {
    std::fputs(usage, stdout);
    return 0;
  }
  options o;
  if (!ctnn::host::parse_command_line("sine", argc, argv, flags, o)) return 2;

  // One seed, three independent streams: SplitMix64 outputs make good seeds. The samples are
  // independent draws, so holding out the last fifth is a random split.
  ctnn::random_engine seeds{o.seed};
  const std::uint64_t data_seed = seeds.next(), init_seed = seeds.next(), order_seed = seeds.next();
  dataset training = make_sine(o.samples, data_seed);
  const auto kept = static_cast<std::ptrdiff_t>(o.samples - o.samples / 5);
  const dataset held_out{{training.inputs.begin() + kept, training.inputs.end()},
                         {training.targets.begin() + kept, training.targets.end()}};
  training.inputs.resize(static_cast<std::size_t>(kept));
  training.targets.resize(static_cast<std::size_t>(kept));

  // Before training, so a bad --out does not cost a training run.
  std::error_code error;
  std::filesystem::create_directories(o.out, error);
  if (error) {
    std::fprintf(stderr, "sine: %s: cannot create the directory: %s\n", o.out.string().c_str(),
                 error.message().c_str());
    return 2;
  }

  std::printf("%zu samples: %zu to train, %zu held out\n", o.samples, training.inputs.size(), held_out.inputs.size());
  // Xavier initialisation suits tanh layers.
  net model{ctnn::xavier{}, init_seed};
  ctnn::host::history history;
  ctnn::host::progress show{o.epochs};
  // The held-out split as validation without patience: figures for the plot, no early stopping.
  const ctnn::validation<net> plot_only{held_out.inputs, held_out.targets};
  const ctnn::train_report report =
      ctnn::train(model, training.inputs, training.targets, plot_only, ctnn::mean_squared_error{},
                  ctnn::adam{.learning_rate = o.learning_rate},
                  {.epochs = o.epochs, .batch_size = o.batch_size, .shuffle = true, .shuffle_seed = order_seed},
                  [&](const ctnn::epoch_stats& s) {
                    show(s);
                    history(s);
                  });
  if (!report.ok()) {
    show.finish();
    std::fprintf(stderr, "sine: training failed: %s\n", ctnn::to_string(report.status));
    return 1;
  }

  // Scientific notation: an error of 2e-5 must not print as 0.0000.
  std::printf("training MSE %.2e  MAE %.2e\n", static_cast<double>(ctnn::mse(model, training.inputs, training.targets)),
              static_cast<double>(ctnn::mae(model, training.inputs, training.targets)));
  std::printf("held-out MSE %.2e\n", static_cast<double>(ctnn::mse(model, held_out.inputs, held_out.targets)));
  std::printf("held-out MAE %.2e\n", static_cast<double>(ctnn::mae(model, held_out.inputs, held_out.targets)));

  const std::filesystem::path csv_path = o.out / "history.csv";
  const std::filesystem::path svg_path = o.out / "history.svg";
  const std::filesystem::path fit_path = o.out / "fit.csv";
  ctnn::host::io_result written = history.write_csv(csv_path);
  if (written.ok) written = ctnn::host::write_history_svg(svg_path, history, "sin(x), 1-32-32-1 network");
  if (written.ok) written = write_fit(fit_path, model);
  if (!written.ok) {
    std::fprintf(stderr, "sine: %s\n", written.message.c_str());
    return 1;
  }
  std::printf("wrote %s, %s and %s\n", csv_path.string().c_str(), svg_path.string().c_str(), fit_path.string().c_str());
  return 0;
}
