// ctnn::host::parse_classification_csv and read_classification_csv: what a good file gives, and
// that each kind of bad file is refused, with no samples and a message "file:line:column: what".
// The messages are compared whole, so a wrong line or column number fails the test.
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "ctnn/host/csv.hpp"
#include "host_test_files.hpp"

namespace {

using ctnn::host::csv_header;

/** Parses `text` as 3 features and a label, under the name "data.csv". */
template <class T>
ctnn::host::classification_data<T, 3> parse(std::string_view text, csv_header header = csv_header::detect) {
  return ctnn::host::parse_classification_csv<T, 3>(text, "data.csv", header);
}

/** Checks that `text` is refused with exactly `message`, and that no samples come with the refusal. */
template <class T>
void check_refused(std::string_view text, std::string_view message, csv_header header = csv_header::detect) {
  const auto data = parse<T>(text, header);
  INFO("text: " << text);
  CHECK_FALSE(data.ok);
  CHECK(data.message == message);
  CHECK(data.inputs.empty());
  CHECK(data.targets.empty());
}

/** Checks that `data` holds exactly the two rows (0.5, -1.25, 3; 0) and (2, 0.001, 7; 1). */
template <class T>
void check_two_rows(const ctnn::host::classification_data<T, 3>& data) {
  INFO(data.message);
  REQUIRE(data.ok);
  CHECK(data.message.empty());
  REQUIRE(data.inputs.size() == 2);
  REQUIRE(data.targets.size() == 2);
  // Exact comparisons: 0.5, -1.25, 2, 3 and 7 are exact in binary; 0.001 is not, but the reader
  // parses to double and then converts to T, the very path of static_cast<T>(0.001).
  CHECK(data.inputs[0] == std::array<T, 3>{T(0.5), T(-1.25), T(3)});
  CHECK(data.targets[0][0] == T(0));
  CHECK(data.inputs[1] == std::array<T, 3>{T(2), static_cast<T>(0.001), T(7)});
  CHECK(data.targets[1][0] == T(1));
}

// The rows check_two_rows expects, written in the ways a writer might: a '+' sign, an exponent,
// blanks around a field, a label "1.0".
constexpr std::string_view two_rows = "0.5,-1.25,3,0\n+2,1e-3, 7 ,1.0\n";

}  // namespace

TEMPLATE_TEST_CASE("host csv: a file with a header line gives every row, in order, exactly", "[host][csv]", float,
                   double) {
  const std::string text = "x1,x2,x3,label\n" + std::string{two_rows};
  check_two_rows(parse<TestType>(text));
  check_two_rows(parse<TestType>(text, csv_header::present));
}

TEMPLATE_TEST_CASE("host csv: a file without a header line gives every row", "[host][csv]", float, double) {
  check_two_rows(parse<TestType>(two_rows));
  check_two_rows(parse<TestType>(two_rows, csv_header::absent));
  // No final newline.
  check_two_rows(parse<TestType>(two_rows.substr(0, two_rows.size() - 1)));
  // csv_header::present skips the first line unread, even when it is numbers.
  check_two_rows(parse<TestType>("9,9,9,9\n" + std::string{two_rows}, csv_header::present));
}

TEMPLATE_TEST_CASE("host csv: CRLF line ends, blank lines and a byte order mark are accepted", "[host][csv]", float,
                   double) {
  check_two_rows(parse<TestType>("x1,x2,x3,label\r\n0.5,-1.25,3,0\r\n+2,1e-3, 7 ,1.0\r\n"));
  check_two_rows(parse<TestType>("\n\r\n  \n\t\r\nx1,x2,x3,label\n\n0.5,-1.25,3,0\n \n\r\n+2,1e-3, 7 ,1.0\n\n\n"));
  check_two_rows(parse<TestType>("\xEF\xBB\xBFx1,x2,x3,label\r\n0.5,-1.25,3,0\r\n+2,1e-3, 7 ,1.0"));
  // Without a header, a mark left in place would make the first row look like one (and skip it).
  // (The mark is a string of its own: "\xBF0" would read as one hex escape.)
  check_two_rows(parse<TestType>(std::string{"\xEF\xBB\xBF"} + "0.5,-1.25,3,0\n+2,1e-3, 7 ,1.0\n"));
}

TEMPLATE_TEST_CASE("host csv: no data rows is a failure", "[host][csv]", float, double) {
  check_refused<TestType>("", "data.csv: no data rows: the file is empty");
  check_refused<TestType>("\n \r\n\t\n\n", "data.csv: no data rows: the file is empty");
  check_refused<TestType>("x1,x2,x3,label\r\n\r\n", "data.csv: no data rows, only a header line");
}

TEMPLATE_TEST_CASE("host csv: a wrong number of fields names the line and column", "[host][csv]", float, double) {
  // Too few: the column is just past the end of the line ("1,2" is 3 characters, so column 4).
  check_refused<TestType>("x1,x2,x3,label\n1,2,3,0\n1,2\n",
                          "data.csv:3:4: expected 4 comma-separated fields (3 features, then a label 0 or 1), found 2");
  // N fields: the label is the one missing.
  check_refused<TestType>("1,2,3,0\n\n4,5,6\n",
                          "data.csv:3:6: expected 4 comma-separated fields (3 features, then a label 0 or 1), "
                          "found 3: the label is missing");
  // Too many: the column is the first extra field's.
  check_refused<TestType>(
      "x1,x2,x3,label\n1,2,3,0\n4,5,6,1\n1,2,3,0, 9\n",
      "data.csv:4:10: expected 4 comma-separated fields (3 features, then a label 0 or 1), found 5");
}

TEMPLATE_TEST_CASE("host csv: a missing label (a trailing comma) or an empty field names its column", "[host][csv]",
                   float, double) {
  check_refused<TestType>("x1,x2,x3,label\n1,2,3,\n",
                          "data.csv:2:7: expected a number in field 4, found an empty field");
  check_refused<TestType>("1,2,3,0\n1,,3,0\n", "data.csv:2:3: expected a number in field 2, found an empty field");
}

TEMPLATE_TEST_CASE("host csv: a field that is not a number names its column and quotes it", "[host][csv]", float,
                   double) {
  // The column is the field's first non-blank character: the 'a' of " abc" is column 4.
  check_refused<TestType>("x1,x2,x3,label\n\n1, abc,3,0\n", "data.csv:3:4: expected a number in field 2, found 'abc'");
  check_refused<TestType>("1,2,3,0\n1,2.5x,3,0\n", "data.csv:2:3: expected a number in field 2, found '2.5x'");
  check_refused<TestType>("1,2,3,0\n1,2,0x10,0\n", "data.csv:2:5: expected a number in field 3, found '0x10'");
  // A decimal comma splits the field in two, so the row has too many fields.
  check_refused<TestType>("1,2,3,0\n1,2,3,0,5\n",
                          "data.csv:2:9: expected 4 comma-separated fields (3 features, then a label 0 or 1), found 5");
  // Quoted text is cut after 40 characters (the reader's limit; 50 is any length past it) and
  // unprintable bytes show as '?'.
  check_refused<TestType>("1,2,3,0\n" + std::string(50, 'z') + ",2,3,0\n",
                          "data.csv:2:1: expected a number in field 1, found '" + std::string(40, 'z') + "...'");
  // ("\?\?": a plain "??'" would be a trigraph.)
  check_refused<TestType>("1,2,3,0\n1,2,\x01\x7f,0\n", "data.csv:2:5: expected a number in field 3, found '\?\?'");
}

TEMPLATE_TEST_CASE("host csv: a label other than 0 or 1 names its column", "[host][csv]", float, double) {
  check_refused<TestType>("x1,x2,x3,label\n1,2,3,0\n1,2,3,2\n",
                          "data.csv:3:7: expected a label 0 or 1 in field 4, found '2'");
  check_refused<TestType>("1,2,3,0\n1,2,3, 0.5\n", "data.csv:2:8: expected a label 0 or 1 in field 4, found '0.5'");
  check_refused<TestType>("1,2,3,0\n1,2,3,-1\n", "data.csv:2:7: expected a label 0 or 1 in field 4, found '-1'");
}

TEMPLATE_TEST_CASE("host csv: NaN and infinity are refused", "[host][csv]", float, double) {
  check_refused<TestType>("x1,x2,x3,label\nnan,2,3,0\n",
                          "data.csv:2:1: expected a finite number in field 1, found 'nan'");
  check_refused<TestType>("1,2,3,0\n1,inf,3,0\n", "data.csv:2:3: expected a finite number in field 2, found 'inf'");
  check_refused<TestType>("1,2,3,0\n1,2,-INF,0\n", "data.csv:2:5: expected a finite number in field 3, found '-INF'");
  check_refused<TestType>("1,2,3,0\n1,2,3,nan\n", "data.csv:2:7: expected a finite number in field 4, found 'nan'");
  // Beyond double's range (about 1.8e308), the number would read as infinity.
  check_refused<TestType>("1,2,3,0\n1,2,1e309,0\n", "data.csv:2:5: number out of range in field 3: '1e309'");
}

TEST_CASE("host csv: a number beyond float's range is refused for float, kept for double", "[host][csv]") {
  // 1e39 is past float's largest value (about 3.4e38), so as a float it would be infinite.
  const std::string_view text = "1,2,3,0\n1,2,1e39,0\n";
  check_refused<float>(text, "data.csv:2:5: number out of range in field 3: '1e39'");
  const auto as_double = parse<double>(text);
  REQUIRE(as_double.ok);
  CHECK(as_double.inputs[1][2] == 1e39);
}

TEST_CASE("host csv: line numbers count blank lines and the header", "[host][csv]") {
  check_refused<double>("x1,x2,x3,label\n\n\n1,2,3,0\n\r\n1,2,3,7\n",
                        "data.csv:6:7: expected a label 0 or 1 in field 4, found '7'");
}

TEST_CASE("host csv: header detection takes a first row with a typo for a header (the documented pitfall)",
          "[host][csv]") {
  // With csv_header::detect, the typo row is skipped silently; the next row is read.
  const auto detected = parse<double>("1,2x,3,0\n4,5,6,1\n");
  REQUIRE(detected.ok);
  CHECK(detected.inputs.size() == 1);
  // csv_header::absent catches it, and a real header too.
  check_refused<double>("1,2x,3,0\n4,5,6,1\n", "data.csv:1:3: expected a number in field 2, found '2x'",
                        csv_header::absent);
  check_refused<double>("x1,x2,x3,label\n4,5,6,1\n", "data.csv:1:1: expected a number in field 1, found 'x1'",
                        csv_header::absent);
}

// The '\r' of a CRLF line end is not a column: "1,2\r\n" is refused at 3:4, as an LF file is.
TEST_CASE("host csv: a CRLF line gives the same columns as an LF line", "[host][csv]") {
  check_refused<double>("x1,x2,x3,label\r\n1,2,3,0\r\n1,2\r\n",
                        "data.csv:3:4: expected 4 comma-separated fields (3 features, then a label 0 or 1), found 2");
  check_refused<double>("x1,x2,x3,label\r\n1,2,3,\r\n",
                        "data.csv:2:7: expected a number in field 4, found an empty field");
}

TEMPLATE_TEST_CASE("host csv: read_classification_csv reads a file, and its messages start with the path",
                   "[host][csv]", float, double) {
  const ctnn_test::temporary_directory dir{"csv"};
  const std::filesystem::path good = dir.path / "good.csv";
  ctnn_test::write_file(good, "x1,x2,x3,label\r\n0.5,-1.25,3,0\r\n\r\n+2,1e-3, 7 ,1.0\r\n");
  check_two_rows(ctnn::host::read_classification_csv<TestType, 3>(good));

  const std::filesystem::path bad = dir.path / "bad.csv";
  ctnn_test::write_file(bad, "x1,x2,x3,label\n1,2,3,0\n1,2,three,1\n");
  const auto refused = ctnn::host::read_classification_csv<TestType, 3>(bad);
  CHECK_FALSE(refused.ok);
  CHECK(refused.message == bad.string() + ":3:5: expected a number in field 3, found 'three'");
  CHECK(refused.inputs.empty());

  const std::filesystem::path empty = dir.path / "empty.csv";
  ctnn_test::write_file(empty, "");
  const auto nothing = ctnn::host::read_classification_csv<TestType, 3>(empty);
  CHECK_FALSE(nothing.ok);
  CHECK(nothing.message == empty.string() + ": no data rows: the file is empty");
}

TEST_CASE("host csv: a missing file or a directory is a failure that names the path", "[host][csv]") {
  const ctnn_test::temporary_directory dir{"csv_missing"};
  const std::filesystem::path missing = dir.path / "no_such_file.csv";
  const auto not_there = ctnn::host::read_classification_csv<float, 3>(missing);
  CHECK_FALSE(not_there.ok);
  // The reason after the prefix is the C library's text for ENOENT, which differs between systems.
  CHECK_THAT(not_there.message, Catch::StartsWith(missing.string() + ": cannot open"));
  CHECK(not_there.inputs.empty());

  const auto directory = ctnn::host::read_classification_csv<float, 3>(dir.path);
  CHECK_FALSE(directory.ok);
  CHECK_THAT(directory.message, Catch::StartsWith(dir.path.string() + ": cannot read"));
}
