// ctnn::host::history (a train callback that keeps every epoch, written as CSV) and
// ctnn::host::history_svg / write_history_svg (the figure of a history).
#include <catch2/catch.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "ctnn/ctnn.hpp"
#include "ctnn/host/history.hpp"
#include "ctnn/host/svg_plot.hpp"
#include "host_test_files.hpp"

namespace {

using xor_net = ctnn::network<double, ctnn::dense<2, 4, ctnn::tanh>, ctnn::dense<4, 1, ctnn::sigmoid>>;
constexpr std::array<xor_net::input, 4> xor_inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
constexpr std::array<xor_net::output, 4> xor_targets{{{0}, {1}, {1}, {0}}};

/** Epochs of a tiny training run, recorded by a history passed to ctnn::train as its callback. */
struct trained {
  static constexpr std::size_t epochs = 7;  // any small number; 7 is not a round one, so off-by-ones show
  ctnn::host::history progress;
  ctnn::train_report report;
  trained() {
    xor_net model{ctnn::xavier{}, 3};
    report = ctnn::train(model, xor_inputs, xor_targets, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 1.0},
                         {.epochs = epochs}, progress);
  }
};

/** Parses all of `text` as a double; fails the test if it is not one. */
double to_double(std::string_view text) {
  double value = std::numeric_limits<double>::quiet_NaN();
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  INFO("field '" << text << "'");
  CHECK(error == std::errc{});
  CHECK(end == text.data() + text.size());
  return value;
}

/** Splits `text` at `separator`. */
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t begin = 0;;) {
    const std::size_t end = text.find(separator, begin);
    parts.push_back(text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    if (end == std::string_view::npos) return parts;
    begin = end + 1;
  }
}

/** Reads back a CSV written by history::write_csv: checks the header and the epoch numbers, returns
    the (cost, accuracy) of each row. */
std::vector<std::array<double, 2>> read_history_csv(const std::filesystem::path& path) {
  const std::string text = ctnn_test::read_file(path);
  REQUIRE(!text.empty());
  REQUIRE(text.back() == '\n');
  const std::vector<std::string_view> lines = split(std::string_view{text}.substr(0, text.size() - 1), '\n');
  REQUIRE(lines.front() == "epoch,cost,accuracy");
  std::vector<std::array<double, 2>> rows;
  for (std::size_t k = 1; k < lines.size(); ++k) {
    const std::vector<std::string_view> fields = split(lines[k], ',');
    REQUIRE(fields.size() == 3);
    CHECK(fields[0] == std::to_string(k));
    rows.push_back({to_double(fields[1]), to_double(fields[2])});
  }
  return rows;
}

/** Returns "" if `xml` is a well-formed XML document as far as an SVG file needs: an optional
    <?xml ...?> declaration, then one root element; tags nested and closed in order; attribute
    values quoted, each attribute once per tag; '<' never in text or values; '&' only in an entity.
    Otherwise returns what is wrong, and where. (No DTDs, comments or CDATA: the writer makes none.) */
std::string xml_problem(std::string_view xml) {
  const auto at = [&](std::size_t pos, std::string what) { return what + " at offset " + std::to_string(pos); };
  const auto is_name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == ':' || c == '.';
  };
  const auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  const auto entity_ok = [&](std::size_t amp) {
    for (const std::string_view e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"})
      if (xml.substr(amp, e.size()) == e) return true;
    return false;
  };
  std::size_t pos = 0;
  if (xml.substr(0, 5) == "<?xml") {
    pos = xml.find("?>");
    if (pos == std::string_view::npos) return "unterminated XML declaration";
    pos += 2;
  }
  std::vector<std::string_view> open;
  bool root_done = false;
  while (pos < xml.size()) {
    const char c = xml[pos];
    if (c != '<') {
      if (open.empty() && !is_space(c)) return at(pos, "text outside the root element");
      if (c == '&' && !entity_ok(pos)) return at(pos, "'&' outside an entity");
      ++pos;
      continue;
    }
    if (root_done) return at(pos, "a second root element");
    if (xml.substr(pos, 2) == "</") {
      const std::size_t close = xml.find('>', pos);
      if (close == std::string_view::npos) return at(pos, "unterminated end tag");
      const std::string_view name = xml.substr(pos + 2, close - pos - 2);
      if (open.empty() || open.back() != name) return at(pos, "end tag </" + std::string{name} + "> does not match");
      open.pop_back();
      root_done = open.empty();
      pos = close + 1;
      continue;
    }
    std::size_t end = pos + 1;
    while (end < xml.size() && is_name_char(xml[end])) ++end;
    const std::string_view name = xml.substr(pos + 1, end - pos - 1);
    if (name.empty()) return at(pos, "'<' without a tag name");
    std::vector<std::string_view> attributes;
    pos = end;
    while (true) {
      while (pos < xml.size() && is_space(xml[pos])) ++pos;
      if (pos >= xml.size()) return "unterminated tag <" + std::string{name} + ">";
      if (xml.substr(pos, 2) == "/>") {
        pos += 2;
        root_done = open.empty();
        break;
      }
      if (xml[pos] == '>') {
        ++pos;
        open.push_back(name);
        break;
      }
      end = pos;
      while (end < xml.size() && is_name_char(xml[end])) ++end;
      const std::string_view attribute = xml.substr(pos, end - pos);
      if (attribute.empty()) return at(pos, "bad attribute in <" + std::string{name} + ">");
      for (const std::string_view seen : attributes)
        if (seen == attribute) return at(pos, "attribute " + std::string{attribute} + " twice");
      attributes.push_back(attribute);
      if (end + 1 >= xml.size() || xml[end] != '=' || (xml[end + 1] != '"' && xml[end + 1] != '\''))
        return at(end, "attribute " + std::string{attribute} + " without a quoted value");
      const std::size_t close = xml.find(xml[end + 1], end + 2);
      if (close == std::string_view::npos) return at(end, "unterminated attribute value");
      for (std::size_t k = end + 2; k < close; ++k) {
        if (xml[k] == '<') return at(k, "'<' in an attribute value");
        if (xml[k] == '&' && !entity_ok(k)) return at(k, "'&' outside an entity");
      }
      pos = close + 1;
    }
  }
  if (!open.empty()) return "<" + std::string{open.back()} + "> is never closed";
  if (!root_done) return "no root element";
  return {};
}

/** Returns the number of times `needle` occurs in `text`. */
std::size_t count(std::string_view text, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + 1)) ++n;
  return n;
}

/** Returns the points of each <polyline> in `svg`, in order, as (x, y) pairs. */
std::vector<std::vector<std::array<double, 2>>> polylines(std::string_view svg) {
  std::vector<std::vector<std::array<double, 2>>> lines;
  for (std::size_t pos = svg.find("<polyline"); pos != std::string_view::npos; pos = svg.find("<polyline", pos + 1)) {
    const std::size_t tag_end = svg.find('>', pos);
    const std::size_t begin = svg.find("points=\"", pos);
    REQUIRE(begin < tag_end);
    const std::size_t end = svg.find('"', begin + 8);  // 8: the length of points="
    std::vector<std::array<double, 2>> points;
    for (const std::string_view pair : split(svg.substr(begin + 8, end - begin - 8), ' ')) {
      const std::vector<std::string_view> xy = split(pair, ',');
      REQUIRE(xy.size() == 2);
      points.push_back({to_double(xy[0]), to_double(xy[1])});
    }
    lines.push_back(points);
  }
  return lines;
}

/** Checks what every figure must be: the XML declaration, then an <svg> root, ending the file; well-formed. */
void check_document(const std::string& svg) {
  CHECK_THAT(svg, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
  CHECK_THAT(svg, Catch::EndsWith("</svg>\n"));
  CHECK(xml_problem(svg) == std::string{});  // on failure, Catch shows what is wrong and where
}

constexpr std::size_t max_markers = ctnn::host::detail::svg_layout::max_points_with_markers;

}  // namespace

TEST_CASE("host history: the test's XML checker accepts an SVG and finds each kind of fault", "[host][history][svg]") {
  CHECK(
      xml_problem("<?xml version=\"1.0\"?>\n<svg a=\"1\" b='&lt;'>\n<g><text>x &amp; y</text><line/></g>\n</svg>\n") ==
      std::string{});
  for (const std::string_view broken :
       {"", "<svg>", "<svg><g></svg>", "<svg></g></svg>", "<svg a=1/>", "<svg a=\"1\" a=\"2\"/>", "<svg a=\"<\"/>",
        "<svg>&x</svg>", "<svg/><svg/>", "text<svg/>", "<svg><g points=\"1\"\n<circle/></g></svg>"}) {
    INFO(broken);
    CHECK_FALSE(xml_problem(broken).empty());
  }
}

TEST_CASE("host history: as a train callback it records every epoch, in order", "[host][history]") {
  trained run;
  REQUIRE(run.report.status == ctnn::train_status::completed);
  REQUIRE(run.progress.size() == trained::epochs);
  CHECK_FALSE(run.progress.empty());
  const std::vector<ctnn::epoch_stats>& epochs = run.progress.epochs();
  for (std::size_t k = 0; k < epochs.size(); ++k) {
    INFO("epoch " << k + 1);
    CHECK(epochs[k].epoch == k + 1);
    CHECK(std::isfinite(epochs[k].cost));
    CHECK(epochs[k].cost > 0);  // cross-entropy of a sigmoid output is never exactly 0 here
    CHECK(epochs[k].accuracy >= 0);
    CHECK(epochs[k].accuracy <= 1);
  }
  // The last record is the figures train reports, not a copy made before the epoch ended.
  CHECK(epochs.back().epoch == run.report.last.epoch);
  CHECK(epochs.back().cost == run.report.last.cost);
  CHECK(epochs.back().accuracy == run.report.last.accuracy);
  // A callback that is a lambda sees the same epochs: the history adds nothing and drops nothing.
  std::vector<ctnn::epoch_stats> seen;
  xor_net model{ctnn::xavier{}, 3};
  (void)ctnn::train(model, xor_inputs, xor_targets, ctnn::binary_cross_entropy{}, ctnn::sgd{.learning_rate = 1.0},
                    {.epochs = trained::epochs}, [&](const ctnn::epoch_stats& s) { seen.push_back(s); });
  REQUIRE(seen.size() == epochs.size());
  for (std::size_t k = 0; k < seen.size(); ++k) CHECK(seen[k].cost == epochs[k].cost);

  run.progress.clear();
  CHECK(run.progress.empty());
  CHECK(run.progress.size() == 0);
}

TEST_CASE("host history: write_csv writes the header and numbers that read back exactly", "[host][history]") {
  const ctnn_test::temporary_directory dir{"history_csv"};

  SECTION("the exact text of awkward values") {
    ctnn::host::history h;
    h({1, 0.5, 0.25});
    h({2, 0.1 + 0.2, 1.0 / 3});                              // need all 17 significant digits
    h({3, std::numeric_limits<double>::denorm_min(), 1.0});  // the smallest double; a whole number
    h({4, 1e300, std::nextafter(1.0, 0.0)});                 // a large exponent; just below 1
    const std::filesystem::path path = dir.path / "history.csv";
    REQUIRE(h.write_csv(path).ok);
    CHECK(ctnn_test::read_file(path) ==
          "epoch,cost,accuracy\n"
          "1,0.5,0.25\n"
          "2,0.30000000000000004,0.3333333333333333\n"
          "3,5e-324,1\n"
          "4,1e+300,0.9999999999999999\n");
    const auto rows = read_history_csv(path);
    REQUIRE(rows.size() == h.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
      INFO("epoch " << k + 1);
      CHECK(rows[k][0] == h.epochs()[k].cost);  // exact: the shortest form that reads back as the same double
      CHECK(rows[k][1] == h.epochs()[k].accuracy);
    }
  }

  SECTION("a trained history, then written again over the first file") {
    trained run;
    const std::filesystem::path path = dir.path / "history.csv";
    ctnn::host::history empty;
    REQUIRE(empty.write_csv(path).ok);
    CHECK(ctnn_test::read_file(path) == "epoch,cost,accuracy\n");
    const ctnn::host::io_result written = run.progress.write_csv(path);
    INFO(written.message);
    REQUIRE(written.ok);
    CHECK(written.message.empty());
    const auto rows = read_history_csv(path);
    REQUIRE(rows.size() == trained::epochs);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      INFO("epoch " << k + 1);
      CHECK(rows[k][0] == run.progress.epochs()[k].cost);
      CHECK(rows[k][1] == run.progress.epochs()[k].accuracy);
    }
    // Only the file: the temporary "<path>.tmp" was renamed, not left behind.
    CHECK(std::distance(std::filesystem::directory_iterator{dir.path}, std::filesystem::directory_iterator{}) == 1);
  }
}

TEST_CASE("host history: writing into a directory that does not exist fails, names the path, leaves no file",
          "[host][history]") {
  const ctnn_test::temporary_directory dir{"history_missing"};
  trained run;
  const std::filesystem::path path = dir.path / "no_such_directory" / "history.csv";
  const ctnn::host::io_result written = run.progress.write_csv(path);
  CHECK_FALSE(written.ok);
  // The reason after the prefix is the C library's text for ENOENT, which differs between systems.
  CHECK_THAT(written.message, Catch::StartsWith(path.string() + ": cannot create"));
  CHECK_FALSE(std::filesystem::exists(dir.path / "no_such_directory"));
  CHECK(std::filesystem::is_empty(dir.path));

  const ctnn::host::io_result svg =
      ctnn::host::write_history_svg(path.parent_path() / "history.svg", run.progress, "t");
  CHECK_FALSE(svg.ok);
  CHECK_THAT(svg.message, Catch::StartsWith((path.parent_path() / "history.svg").string() + ": cannot create"));
  CHECK(std::filesystem::is_empty(dir.path));
}

TEST_CASE("host history: a write that cannot replace its target fails and leaves no temporary file",
          "[host][history]") {
  // A directory where the file should go: the temporary file is written, then cannot be renamed over it.
  const ctnn_test::temporary_directory dir{"history_replace"};
  const std::filesystem::path path = dir.path / "history.csv";
  std::filesystem::create_directory(path);
  ctnn_test::write_file(path / "keep", "x");
  trained run;
  const ctnn::host::io_result written = run.progress.write_csv(path);
  CHECK_FALSE(written.ok);
  CHECK_THAT(written.message, Catch::StartsWith(path.string() + ": cannot replace"));
  CHECK_FALSE(std::filesystem::exists(dir.path / "history.csv.tmp"));
  CHECK(ctnn_test::read_file(path / "keep") == "x");
}

TEST_CASE("host history: history_svg is a well-formed SVG with one line per panel, a point per epoch",
          "[host][history][svg]") {
  trained run;
  const std::string svg = ctnn::host::history_svg(run.progress, "XOR, 2-4-1 network");
  check_document(svg);
  CHECK(svg.find(">XOR, 2-4-1 network</text>") != std::string::npos);
  CHECK(svg.find(">Accuracy per epoch</text>") != std::string::npos);
  CHECK(svg.find(">Cost per epoch</text>") != std::string::npos);

  const auto lines = polylines(svg);
  REQUIRE(lines.size() == 2);  // accuracy, then cost
  for (const auto& points : lines) {
    REQUIRE(points.size() == trained::epochs);
    for (std::size_t k = 1; k < points.size(); ++k) CHECK(points[k][0] > points[k - 1][0]);  // epochs run left to right
  }
  // The accuracy panel is left of the cost panel.
  CHECK(lines[0].back()[0] < lines[1].front()[0]);
  // Few epochs: each point also gets a dot.
  CHECK(count(svg, "<circle") == 2 * trained::epochs);

  // write_history_svg writes exactly that text.
  const ctnn_test::temporary_directory dir{"history_svg"};
  const std::filesystem::path path = dir.path / "history.svg";
  REQUIRE(ctnn::host::write_history_svg(path, run.progress, "XOR, 2-4-1 network").ok);
  CHECK(ctnn_test::read_file(path) == svg);
}

TEST_CASE("host history: the SVG title is escaped", "[host][history][svg]") {
  trained run;
  const std::string svg = ctnn::host::history_svg(run.progress, "cost <&> \"accuracy\" 'x'");
  check_document(svg);
  CHECK(svg.find(">cost &lt;&amp;&gt; &quot;accuracy&quot; &apos;x&apos;</text>") != std::string::npos);
  CHECK(svg.find("<&>") == std::string::npos);
}

TEST_CASE("host history: an empty history still gives a valid SVG", "[host][history][svg]") {
  const ctnn::host::history empty;
  const std::string svg = ctnn::host::history_svg(empty, "nothing yet");
  check_document(svg);
  CHECK(svg.find(">nothing yet</text>") != std::string::npos);
  CHECK(count(svg, "<polyline") == 0);
  CHECK(count(svg, "<circle") == 0);
  CHECK(svg.find("nan") == std::string::npos);  // no coordinate computed from an empty range
  CHECK(svg.find("inf") == std::string::npos);
}

TEST_CASE("host history: a non-finite cost is a gap in the cost line, not a point", "[host][history][svg]") {
  ctnn::host::history h;
  h({1, 0.9, 0.5});
  h({2, std::numeric_limits<double>::quiet_NaN(), 0.5});
  h({3, 0.4, 0.75});
  h({4, 0.2, 1.0});
  const std::string svg = ctnn::host::history_svg(h, "gap");
  check_document(svg);
  const auto lines = polylines(svg);
  REQUIRE(lines.size() == 3);  // accuracy whole; cost in two pieces, either side of epoch 2
  CHECK(lines[0].size() == 4);
  CHECK(lines[1].size() == 1);
  CHECK(lines[2].size() == 2);
  CHECK(count(svg, "<circle") == 7);  // 4 accuracy dots and 3 cost dots
  CHECK(svg.find("nan") == std::string::npos);
}

TEST_CASE("host history: up to the marker limit each point has a dot, beyond it none", "[host][history][svg]") {
  for (const std::size_t epochs : {max_markers, max_markers + 1}) {
    ctnn::host::history h;
    for (std::size_t epoch = 1; epoch <= epochs; ++epoch) h({epoch, 1.0 / static_cast<double>(epoch), 0.5});
    const std::string svg = ctnn::host::history_svg(h, "many epochs");
    INFO(epochs << " epochs");
    check_document(svg);
    const auto lines = polylines(svg);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].size() == epochs);
    CHECK(lines[1].size() == epochs);
    CHECK(count(svg, "<circle") == (epochs <= max_markers ? 2 * epochs : 0));
  }
}
