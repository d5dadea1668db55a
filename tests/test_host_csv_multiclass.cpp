// ctnn::host::parse_labelled_csv / read_labelled_csv (a class label, read as a one-hot target) and
// parse_regression_csv / read_regression_csv (real targets): what a good file gives, and that each
// kind of bad file is refused, with no samples and a message "file:line:column: what". The messages
// are compared whole, so a wrong line or column number fails the test.
//
// With CTNN_EXAMPLES_DIR defined (the examples folder of the source tree), the data files the
// examples ship are read whole, as the examples read them.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "ctnn/host/csv.hpp"
#include "ctnn/metrics.hpp"
#include "host_test_files.hpp"

namespace {

using ctnn::host::csv_header;

/** Parses `text` as 4 features and a class of 3, under the name "data.csv". */
template <class T>
ctnn::host::csv_data<T, 4, 3> parse_classes(std::string_view text, csv_header header = csv_header::detect) {
  return ctnn::host::parse_labelled_csv<T, 4, 3>(text, "data.csv", header);
}

/** Parses `text` as 2 features and 1 target, under the name "data.csv". */
template <class T>
ctnn::host::csv_data<T, 2, 1> parse_values(std::string_view text, csv_header header = csv_header::detect) {
  return ctnn::host::parse_regression_csv<T, 2>(text, "data.csv", header);
}

/** Checks that `data` is a refusal with exactly `message` and no samples. */
template <class Data>
void check_refusal(const Data& data, std::string_view message) {
  CHECK_FALSE(data.ok);
  CHECK(data.message == message);
  CHECK(data.inputs.empty());
  CHECK(data.targets.empty());
}

/** Checks that `text` is refused as 4 features and a class of 3 with exactly `message`. */
template <class T>
void check_classes_refused(std::string_view text, std::string_view message, csv_header header = csv_header::detect) {
  INFO("text: " << text);
  check_refusal(parse_classes<T>(text, header), message);
}

/** Checks that `text` is refused as 2 features and 1 target with exactly `message`. */
template <class T>
void check_values_refused(std::string_view text, std::string_view message, csv_header header = csv_header::detect) {
  INFO("text: " << text);
  check_refusal(parse_values<T>(text, header), message);
}

/** Checks that `data` holds exactly the three rows of `three_iris_rows`, one of each class. */
template <class T>
void check_three_iris_rows(const ctnn::host::csv_data<T, 4, 3>& data) {
  INFO(data.message);
  REQUIRE(data.ok);
  CHECK(data.message.empty());
  REQUIRE(data.inputs.size() == 3);
  REQUIRE(data.targets.size() == 3);
  // 0.5, 0.25 ... are exact in binary; 5.1 and the like are not, but the reader parses to double and
  // then converts to T, the very path of static_cast<T>(5.1).
  CHECK(data.inputs[0] == std::array<T, 4>{static_cast<T>(5.1), static_cast<T>(3.5), static_cast<T>(1.4), T(0.25)});
  CHECK(data.inputs[1] == std::array<T, 4>{T(7), static_cast<T>(3.2), static_cast<T>(4.7), T(1.5)});
  CHECK(data.inputs[2] == std::array<T, 4>{static_cast<T>(6.3), T(3.25), T(6), T(2.5)});
  // One-hot, exactly: 1 at the class, 0 elsewhere; classify gives the class back.
  CHECK(data.targets[0] == std::array<T, 3>{T(1), T(0), T(0)});
  CHECK(data.targets[1] == std::array<T, 3>{T(0), T(1), T(0)});
  CHECK(data.targets[2] == std::array<T, 3>{T(0), T(0), T(1)});
  for (std::size_t k = 0; k < 3; ++k) CHECK(ctnn::classify(data.targets[k]) == k);
}

// One row of each class, written in the ways a writer might: a class "1.0", blanks, a '+' sign, an exponent.
constexpr std::string_view three_iris_rows = "5.1,3.5,1.4,0.25,0\n7,3.2,4.7,1.5, 1.0 \n+6.3,3.25,6e0,2.5,2\n";

// The first line of scikit-learn's iris.csv: the row and feature counts, then the class names.
constexpr std::string_view iris_header = "150,4,setosa,versicolor,virginica\n";

}  // namespace

TEMPLATE_TEST_CASE("host csv classes: every row, in order, with a one-hot target", "[host][csv]", float, double) {
  check_three_iris_rows(parse_classes<TestType>(three_iris_rows));
  check_three_iris_rows(parse_classes<TestType>(three_iris_rows, csv_header::absent));
  check_three_iris_rows(parse_classes<TestType>("x1,x2,x3,x4,class\n" + std::string{three_iris_rows}));
  // CRLF, blank lines, a byte order mark.
  check_three_iris_rows(parse_classes<TestType>(
      "\xEF\xBB\xBF" "x1,x2,x3,x4,class\r\n\r\n5.1,3.5,1.4,0.25,0\r\n7,3.2,4.7,1.5, 1.0 \r\n\n+6.3,3.25,6e0,2.5,2"));
}

TEMPLATE_TEST_CASE("host csv classes: scikit-learn's first line (counts, then class names) is a header", "[host][csv]",
                   float, double) {
  // Its first fields are numbers, but not all of them: csv_header::detect skips it, as present does.
  check_three_iris_rows(parse_classes<TestType>(std::string{iris_header} + std::string{three_iris_rows}));
  check_three_iris_rows(
      parse_classes<TestType>(std::string{iris_header} + std::string{three_iris_rows}, csv_header::present));
  // Read as data, it is refused at its first class name.
  check_classes_refused<TestType>(std::string{iris_header} + std::string{three_iris_rows},
                                  "data.csv:1:7: expected a number in field 3, found 'setosa'", csv_header::absent);
  // present skips a first line of numbers too: a file with no header loses its first row.
  const auto skipped = parse_classes<TestType>(three_iris_rows, csv_header::present);
  REQUIRE(skipped.ok);
  CHECK(skipped.inputs.size() == 2);
}

TEMPLATE_TEST_CASE("host csv classes: a class out of range, not whole, or not a number names its column",
                   "[host][csv]", float, double) {
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3,1,0.2,3\n",
                                  "data.csv:2:11: expected a class from 0 to 2 in field 5, found '3'");
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3,1,0.2,-1\n",
                                  "data.csv:2:11: expected a class from 0 to 2 in field 5, found '-1'");
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3,1,0.2, 1.5\n",
                                  "data.csv:2:12: expected a class from 0 to 2 in field 5, found '1.5'");
  // Just below a whole number is not that number, even where float would round it to one.
  check_classes_refused<TestType>("5,3,1,0.2,1.00000001\n",
                                  "data.csv:1:11: expected a class from 0 to 2 in field 5, found '1.00000001'");
  // A class name instead of its number (after a header, so the row is not taken for one).
  check_classes_refused<TestType>("x1,x2,x3,x4,class\n5,3,1,0.2,setosa\n",
                                  "data.csv:2:11: expected a class from 0 to 2 in field 5, found 'setosa'");
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3,1,0.2,nan\n",
                                  "data.csv:2:11: expected a class from 0 to 2 in field 5, found 'nan'");
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3,1,0.2,1e400\n",
                                  "data.csv:2:11: expected a class from 0 to 2 in field 5, found '1e400'");
  // A trailing comma: the class is an empty field.
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3,1,0.2,\n",
                                  "data.csv:2:11: expected a class from 0 to 2 in field 5, found an empty field");
}

TEST_CASE("host csv classes: with two classes the range is 0 to 1", "[host][csv]") {
  const auto data = ctnn::host::parse_labelled_csv<double, 2, 2>("1,2,0\n3,4,1\n", "two.csv");
  REQUIRE(data.ok);
  CHECK(data.targets[0] == std::array<double, 2>{1, 0});
  CHECK(data.targets[1] == std::array<double, 2>{0, 1});
  check_refusal(ctnn::host::parse_labelled_csv<double, 2, 2>("1,2,0\n3,4,2\n", "two.csv"),
                "two.csv:2:5: expected a class from 0 to 1 in field 3, found '2'");
}

TEMPLATE_TEST_CASE("host csv classes: a wrong number of fields names the line and column", "[host][csv]", float,
                   double) {
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3\n",
                                  "data.csv:2:4: expected 5 comma-separated fields (4 features, then a class from 0 "
                                  "to 2), found 2");
  check_classes_refused<TestType>("5,3,1,0.2,0\n\n5,3,1,0.2\n",
                                  "data.csv:3:10: expected 5 comma-separated fields (4 features, then a class from 0 "
                                  "to 2), found 4: the label is missing");
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3,1,0.2,1,2\n",
                                  "data.csv:2:13: expected 5 comma-separated fields (4 features, then a class from 0 "
                                  "to 2), found 6");
}

TEMPLATE_TEST_CASE("host csv classes: a bad feature is reported as by the binary reader", "[host][csv]", float,
                   double) {
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,abc,1,0.2,0\n", "data.csv:2:3: expected a number in field 2, found 'abc'");
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3,,0.2,0\n", "data.csv:2:5: expected a number in field 3, found an empty field");
  check_classes_refused<TestType>("5,3,1,0.2,0\n5,3,1,inf,0\n",
                                  "data.csv:2:7: expected a finite number in field 4, found 'inf'");
  check_classes_refused<TestType>("", "data.csv: no data rows: the file is empty");
  check_classes_refused<TestType>("x1,x2,x3,x4,class\n", "data.csv: no data rows, only a header line");
}

TEST_CASE("host csv classes: digits-like rows without a header are all data", "[host][csv]") {
  // 64 small whole numbers, then a class of 10: the first row is numbers, so detect reads it as data.
  std::string text;
  for (int row = 0; row < 3; ++row) {
    for (int k = 0; k < 64; ++k) text += std::to_string((row * 7 + k) % 17) + ',';
    text += std::to_string(row * 4) + '\n';
  }
  const auto data = ctnn::host::parse_labelled_csv<float, 64, 10>(text, "digits.csv");
  INFO(data.message);
  REQUIRE(data.ok);
  REQUIRE(data.inputs.size() == 3);
  CHECK(data.inputs[2][63] == float((2 * 7 + 63) % 17));
  CHECK(ctnn::classify(data.targets[0]) == 0);
  CHECK(ctnn::classify(data.targets[1]) == 4);
  CHECK(ctnn::classify(data.targets[2]) == 8);
}

TEMPLATE_TEST_CASE("host csv regression: targets are kept as written", "[host][csv]", float, double) {
  const auto data = parse_values<TestType>("x1,x2,y\n0.5,-1.25,3.75\n2, 0.125 ,-1e-3\n");
  INFO(data.message);
  REQUIRE(data.ok);
  REQUIRE(data.inputs.size() == 2);
  CHECK(data.inputs[0] == std::array<TestType, 2>{TestType(0.5), TestType(-1.25)});
  CHECK(data.targets[0][0] == TestType(3.75));
  CHECK(data.inputs[1] == std::array<TestType, 2>{TestType(2), TestType(0.125)});
  CHECK(data.targets[1][0] == static_cast<TestType>(-1e-3));

  // Several targets: the last Outputs columns.
  const auto two = ctnn::host::parse_regression_csv<TestType, 1, 2>("0.5,1,-2\n1.5,3,4\n", "two.csv");
  REQUIRE(two.ok);
  CHECK(two.inputs[1][0] == TestType(1.5));
  CHECK(two.targets[1] == std::array<TestType, 2>{TestType(3), TestType(4)});
}

TEMPLATE_TEST_CASE("host csv regression: a missing or bad target names its column", "[host][csv]", float, double) {
  check_values_refused<TestType>("1,2,3\n1,2\n",
                                 "data.csv:2:4: expected 3 comma-separated fields (2 features, then a target), found 2: "
                                 "the target is missing");
  check_values_refused<TestType>("1,2,3\n1,2,3,4\n",
                                 "data.csv:2:7: expected 3 comma-separated fields (2 features, then a target), found 4");
  check_values_refused<TestType>("1,2,3\n1,2,\n", "data.csv:2:5: expected a number in field 3, found an empty field");
  check_values_refused<TestType>("y1,y2,y\n1,2,three\n", "data.csv:2:5: expected a number in field 3, found 'three'");
  check_values_refused<TestType>("1,2,3\n1,2,-nan\n", "data.csv:2:5: expected a finite number in field 3, found '-nan'");
  check_values_refused<TestType>("1,2,3\n1,2,1e309\n", "data.csv:2:5: number out of range in field 3: '1e309'");
  check_values_refused<TestType>("\n\n", "data.csv: no data rows: the file is empty");
  // Several targets, one feature: "1 feature", "2 targets".
  check_refusal(ctnn::host::parse_regression_csv<TestType, 1, 2>("0.5,1,-2\n1.5\n", "two.csv"),
                "two.csv:2:4: expected 3 comma-separated fields (1 feature, then 2 targets), found 1: the targets "
                "are missing");
  check_refusal(ctnn::host::parse_regression_csv<TestType, 1, 2>("0.5,1,-2\n1.5,2\n", "two.csv"),
                "two.csv:2:6: expected 3 comma-separated fields (1 feature, then 2 targets), found 2");
  check_refusal(ctnn::host::parse_regression_csv<TestType, 1, 2>("0.5,1,-2\n1.5,2,x\n", "two.csv"),
                "two.csv:2:7: expected a number in field 3, found 'x'");
}

TEST_CASE("host csv regression: a target beyond float's range is refused for float, kept for double", "[host][csv]") {
  check_values_refused<float>("1,2,3\n1,2,-1e39\n", "data.csv:2:5: number out of range in field 3: '-1e39'");
  const auto as_double = parse_values<double>("1,2,3\n1,2,-1e39\n");
  REQUIRE(as_double.ok);
  CHECK(as_double.targets[1][0] == -1e39);
}

TEMPLATE_TEST_CASE("host csv: read_labelled_csv and read_regression_csv read files; messages start with the path",
                   "[host][csv]", float, double) {
  const ctnn_test::temporary_directory dir{"csv_multiclass"};
  const std::filesystem::path iris = dir.path / "iris.csv";
  ctnn_test::write_file(iris, std::string{iris_header} + std::string{three_iris_rows});
  check_three_iris_rows(ctnn::host::read_labelled_csv<TestType, 4, 3>(iris));
  check_three_iris_rows(ctnn::host::read_labelled_csv<TestType, 4, 3>(iris, csv_header::present));

  const std::filesystem::path bad = dir.path / "bad.csv";
  ctnn_test::write_file(bad, "5,3,1,0.2,0\r\n5,3,1,0.2,7\r\n");
  check_refusal(ctnn::host::read_labelled_csv<TestType, 4, 3>(bad),
                bad.string() + ":2:11: expected a class from 0 to 2 in field 5, found '7'");

  const std::filesystem::path sine = dir.path / "sine.csv";
  ctnn_test::write_file(sine, "x,y\n0,0\n0.5,0.479425538604203\n");
  const auto values = ctnn::host::read_regression_csv<TestType, 1>(sine);
  REQUIRE(values.ok);
  REQUIRE(values.targets.size() == 2);
  CHECK(values.targets[1][0] == static_cast<TestType>(0.479425538604203));

  const std::filesystem::path short_row = dir.path / "short.csv";
  ctnn_test::write_file(short_row, "x,y\n0,0\n0.5\n");
  check_refusal(ctnn::host::read_regression_csv<TestType, 1>(short_row),
                short_row.string() + ":3:4: expected 2 comma-separated fields (1 feature, then a target), found 1: "
                                     "the target is missing");

  const std::filesystem::path missing = dir.path / "no_such_file.csv";
  const auto not_there = ctnn::host::read_labelled_csv<TestType, 4, 3>(missing);
  CHECK_FALSE(not_there.ok);
  CHECK_THAT(not_there.message, Catch::StartsWith(missing.string() + ": cannot open"));
  const auto directory = ctnn::host::read_regression_csv<TestType, 1>(dir.path);
  CHECK_FALSE(directory.ok);
  CHECK_THAT(directory.message, Catch::StartsWith(dir.path.string() + ": cannot read"));
}

#if defined(CTNN_EXAMPLES_DIR)
namespace {
/** Returns how many targets of `data` stand for each class. */
template <class Data, std::size_t Classes>
std::array<std::size_t, Classes> class_counts(const Data& data) {
  std::array<std::size_t, Classes> counts{};
  for (const auto& t : data.targets) ++counts[ctnn::classify(t)];
  return counts;
}
}  // namespace

TEST_CASE("host csv: the examples' data files read whole, with the class counts their descriptions give",
          "[host][csv]") {
  const std::filesystem::path examples{CTNN_EXAMPLES_DIR};
  const auto iris = ctnn::host::read_labelled_csv<float, 4, 3>(examples / "iris/data/iris.csv", csv_header::present);
  INFO(iris.message);
  REQUIRE(iris.ok);
  CHECK(iris.inputs.size() == 150);
  CHECK(class_counts<decltype(iris), 3>(iris) == std::array<std::size_t, 3>{50, 50, 50});

  const auto cancer =
      ctnn::host::read_classification_csv<float, 30>(examples / "breast_cancer/data/breast_cancer.csv", csv_header::present);
  INFO(cancer.message);
  REQUIRE(cancer.ok);
  CHECK(cancer.inputs.size() == 569);
  std::size_t benign = 0;
  for (const auto& t : cancer.targets) benign += t[0] == 1.0f ? 1 : 0;
  CHECK(benign == 357);  // 212 malignant (0), 357 benign (1)

  const auto digits = ctnn::host::read_labelled_csv<float, 64, 10>(examples / "digits/data/digits.csv", csv_header::absent);
  INFO(digits.message);
  REQUIRE(digits.ok);
  CHECK(digits.inputs.size() == 1797);
  const auto counts = class_counts<decltype(digits), 10>(digits);
  CHECK(counts == std::array<std::size_t, 10>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180});
}
#endif
