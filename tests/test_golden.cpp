// Golden values from an independent implementation: tests/golden/reference.py, a plain-Python
// transcription of the reference recipe (W stored out x in, unfused BCE gradient), in double.
#include <catch2/catch.hpp>

#include "ctnn/ctnn.hpp"

namespace {
using net = ctnn::network<double, ctnn::dense<3, 4, ctnn::relu>, ctnn::dense<4, 3, ctnn::tanh>,
                          ctnn::dense<3, 1, ctnn::sigmoid>>;

// The weights of reference.py, W[l][o][i] (out x in as in the reference).
template <std::size_t Out, std::size_t In, class Params>
void set_layer(Params& p, const double (&w)[Out][In], const double (&b)[Out]) {
  for (std::size_t o = 0; o < Out; ++o) {
    for (std::size_t i = 0; i < In; ++i) p.weight(i, o) = w[o][i];
    p.biases[o] = b[o];
  }
}

net reference_network() {
  net m{};
  set_layer(m.parameters().layer<0>(),
            {{0.5, -0.25, 0.125}, {-0.75, 0.5, 0.25}, {0.3, 0.2, -0.1}, {-0.4, -0.6, 0.9}}, {0.1, -0.2, 0.05, 0.0});
  set_layer(m.parameters().layer<1>(), {{0.2, -0.5, 0.7, 0.1}, {-0.3, 0.8, -0.2, 0.4}, {0.6, 0.1, -0.9, -0.5}},
            {0.0, 0.1, -0.1});
  set_layer(m.parameters().layer<2>(), {{1.5, -2.0, 0.75}}, {0.2});
  return m;
}

template <std::size_t Out, std::size_t In, class Params>
void check_layer(const Params& p, const double (&w)[Out][In], const double (&b)[Out], double tolerance) {
  for (std::size_t o = 0; o < Out; ++o) {
    for (std::size_t i = 0; i < In; ++i) CHECK(p.weight(i, o) == Approx(w[o][i]).epsilon(tolerance));
    CHECK(p.biases[o] == Approx(b[o]).epsilon(tolerance));
  }
}

constexpr std::array<net::input, 2> xs{{{1.0, 2.0, -0.5}, {-1.5, 0.25, 2.0}}};
constexpr std::array<net::output, 2> ys{{{1.0}, {0.0}}};
}  // namespace

// Both sides compute in double with different operation orders (and reference.py uses the
// unfused dA·a(1-a) gradient), so results agree to a few ulp; 1e-12 relative allows that
// and nothing more.
constexpr double tolerance = 1e-12;

TEST_CASE("forward pass matches the independent reference", "[golden]") {
  const net m = reference_network();
  net::trace t{};
  const auto out = m.forward(xs[0], t);
  const auto& l0 = t.layer<0>();
  const auto& l1 = t.layer<1>();
  CHECK(l0.z[0] == Approx(0.037500000000000006).epsilon(tolerance));
  CHECK(l0.z[3] == Approx(-2.0500000000000003).epsilon(tolerance));
  CHECK(l0.a[3] == 0.0);
  CHECK(l1.a[0] == Approx(0.513520901239621).epsilon(tolerance));
  CHECK(l1.a[1] == Approx(-0.07112967596770792).epsilon(tolerance));
  CHECK(l1.a[2] == Approx(-0.662636811204361).epsilon(tolerance));
  CHECK(t.layer<2>().z[0] == Approx(0.6155630953915767).epsilon(tolerance));
  CHECK(out[0] == Approx(0.6492087725264739).epsilon(tolerance));
  CHECK(ctnn::binary_cross_entropy::value<ctnn::sigmoid>(t.layer<2>().z, out, ys[0]) ==
        Approx(0.4320009306072529).epsilon(tolerance));
}

TEST_CASE("one full-batch SGD step matches the independent reference", "[golden]") {
  net m = reference_network();
  const auto report =
      ctnn::train(m, xs, ys, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 0.5}, {.epochs = 1});
  REQUIRE(report.status == ctnn::train_status::completed);
  const auto& p = m.parameters();
  check_layer(p.layer<0>(),
              {{0.5938597908467426, -0.06228041830651482, 0.0780701045766287},
               {-0.7597945023287753, 0.5016324170547959, 0.26305933643836715},
               {0.3694980053445973, 0.3389960106891947, -0.13474900267229867},
               {-0.4010416610583767, -0.5998263898236038, 0.9013888814111689}},
              {0.1938597908467426, -0.19347033178081643, 0.11949800534459736, 0.000694440705584453}, tolerance);
  check_layer(p.layer<1>(),
              {{0.20363215077375874, -0.5188140885707602, 0.7774858831735194, 0.0726892262682514},
               {-0.3065440579412199, 0.8014835225505692, -0.33960656941269174, 0.4021535004766326},
               {0.6013834910327251, 0.09527123413899148, -0.8704855246351956, -0.5068643375401737}},
              {0.08471923230834431, -0.0735511004429168, -0.06615772247851603}, tolerance);
  check_layer(p.layer<2>(), {{1.5504387406482256, -2.016792861205177, 0.7004119658301702}}, {0.27690087258357965},
              tolerance);
  CHECK(m.predict(xs[0])[0] == Approx(0.9091026105704529).epsilon(tolerance));
}
