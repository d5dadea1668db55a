// ctnn/host/svg_plot.hpp - a training history drawn as an SVG figure: accuracy and cost per epoch.
//
// Host only: builds the SVG as text, with no dependency; never included by the core.
#pragma once

#include <cmath>
#include <limits>
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ctnn/host/detail/text.hpp"
#include "ctnn/host/file.hpp"
#include "ctnn/host/history.hpp"

namespace ctnn::host {

namespace detail {

/** A linear axis from 0 to `high`, with a tick and a label every `step`. */
struct svg_axis {
  double high = 1;
  double step = 0.2;
  int decimals = 1;  // digits after the point in the tick labels
};

/** Returns an axis from 0 that covers `max_value` in about `ticks` steps, each step 1, 2 or 5
    times a power of ten and at least `min_step` (1 for epochs, so their ticks are whole). */
inline svg_axis nice_axis(double max_value, int ticks, double min_step) {
  if (!(max_value > 0) || !std::isfinite(max_value)) max_value = 1;  // nothing to show: a plain 0..1 axis
  const double raw = max_value / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
  if (step < min_step) step = min_step;
  // The small slack keeps 0.8 / 0.2 from counting as a little over 4 steps.
  const double high = std::ceil(max_value / step - 1e-9) * step;
  const int decimals = step >= 1 ? 0 : static_cast<int>(-std::floor(std::log10(step) + 1e-9));
  return {high, step, decimals};
}

/** One line in a panel: (x, y) points in data units; a non-finite y breaks the line. */
struct svg_series {
  std::vector<double> x;
  std::vector<double> y;
  std::string_view colour;
  std::string_view label = {};  // shown in a legend when any series of the panel has one
};

/** One plot: a framed area with ticks, grid, axis titles and its series. */
struct svg_panel {
  std::string_view title;
  std::string_view x_label;
  std::string_view y_label;
  svg_axis x_axis;
  svg_axis y_axis;
  std::vector<svg_series> series;
};

/** Appends `text` with the five XML special characters escaped. */
inline void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
}

/** Appends ` name="value"` with the value in pixels, to a tenth. */
inline void append_attribute(std::string& out, std::string_view name, double value) {
  out += ' ';
  out += name;
  out += "=\"";
  append_fixed(out, value, 1);
  out += '"';
}

/** Appends a <text> element at (x, y) with further attributes `extra`. */
inline void append_text(std::string& out, double x, double y, std::string_view extra, std::string_view text) {
  out += "<text";
  append_attribute(out, "x", x);
  append_attribute(out, "y", y);
  out += ' ';
  out += extra;
  out += '>';
  append_escaped(out, text);
  out += "</text>\n";
}

/** Appends a <line> element from (x1, y1) to (x2, y2) drawn with `style`. */
inline void append_line(std::string& out, double x1, double y1, double x2, double y2, std::string_view style) {
  out += "<line";
  append_attribute(out, "x1", x1);
  append_attribute(out, "y1", y1);
  append_attribute(out, "x2", x2);
  append_attribute(out, "y2", y2);
  out += ' ';
  out += style;
  out += "/>\n";
}

/** Sizes of the figure, in pixels. */
struct svg_layout {
  static constexpr double panel_width = 480;
  static constexpr double height = 400;
  static constexpr double margin_left = 76;  // room for y tick labels and the y axis title
  static constexpr double margin_right = 24;
  static constexpr double margin_top = 72;     // room for the figure title and the panel title
  static constexpr double margin_bottom = 56;  // room for x tick labels and the x axis title
  static constexpr double plot_width = panel_width - margin_left - margin_right;
  static constexpr double plot_height = height - margin_top - margin_bottom;
  static constexpr double inset = 8;                          // between the frame and the axis limits
  static constexpr std::size_t max_points_with_markers = 30;  // beyond this, dots would merge into a smear
};

/** Appends `panel` as the `index`-th from the left. */
inline void append_panel(std::string& svg, std::size_t index, const svg_panel& panel) {
  using layout = svg_layout;
  const double left = layout::panel_width * static_cast<double>(index) + layout::margin_left;
  const double top = layout::margin_top;
  const double right = left + layout::plot_width;
  const double bottom = top + layout::plot_height;
  // Data maps to the frame less a small inset, so a line at an axis limit (accuracy 1) is not hidden by the frame.
  const double inset = layout::inset;
  const auto x_of = [&](double x) { return left + inset + (layout::plot_width - 2 * inset) * x / panel.x_axis.high; };
  const auto y_of = [&](double y) {
    return bottom - inset - (layout::plot_height - 2 * inset) * y / panel.y_axis.high;
  };

  append_text(svg, (left + right) / 2, top - 12, R"(text-anchor="middle" font-size="15")", panel.title);

  // Grid lines and tick labels first, so the data is drawn over them.
  const auto y_ticks = static_cast<std::size_t>(std::lround(panel.y_axis.high / panel.y_axis.step));
  for (std::size_t k = 0; k <= y_ticks; ++k) {
    const double value = static_cast<double>(k) * panel.y_axis.step;
    const double y = y_of(value);
    append_line(svg, left, y, right, y, R"(stroke="#e5e5e5")");
    append_line(svg, left - 5, y, left, y, R"(stroke="#333")");
    std::string label;
    append_fixed(label, value, panel.y_axis.decimals);
    append_text(svg, left - 8, y + 4, R"(text-anchor="end" font-size="12")", label);
  }
  const auto x_ticks = static_cast<std::size_t>(std::lround(panel.x_axis.high / panel.x_axis.step));
  for (std::size_t k = 0; k <= x_ticks; ++k) {
    const double value = static_cast<double>(k) * panel.x_axis.step;
    const double x = x_of(value);
    append_line(svg, x, top, x, bottom, R"(stroke="#e5e5e5")");
    append_line(svg, x, bottom, x, bottom + 5, R"(stroke="#333")");
    std::string label;
    append_fixed(label, value, panel.x_axis.decimals);
    append_text(svg, x, bottom + 19, R"(text-anchor="middle" font-size="12")", label);
  }

  svg += "<rect";
  append_attribute(svg, "x", left);
  append_attribute(svg, "y", top);
  append_attribute(svg, "width", layout::plot_width);
  append_attribute(svg, "height", layout::plot_height);
  svg += R"( fill="none" stroke="#333"/>)" "\n";

  append_text(svg, (left + right) / 2, bottom + 42, R"(text-anchor="middle" font-size="13")", panel.x_label);
  // The y axis title reads upwards: rotated a quarter turn about its own anchor.
  const double y_title_x = left - layout::margin_left + 20;
  const double y_title_y = (top + bottom) / 2;
  svg += "<text";
  append_attribute(svg, "x", y_title_x);
  append_attribute(svg, "y", y_title_y);
  svg += R"( text-anchor="middle" font-size="13" transform="rotate(-90 )";
  append_fixed(svg, y_title_x, 1);
  svg += ' ';
  append_fixed(svg, y_title_y, 1);
  svg += ")\">";
  append_escaped(svg, panel.y_label);
  svg += "</text>\n";

  // Clip to the frame: a value beyond the axis (a cost above it) is cut off, not drawn over the labels.
  svg += "<clipPath id=\"plot-area-";
  append_integer(svg, index);
  svg += "\"><rect";
  append_attribute(svg, "x", left);
  append_attribute(svg, "y", top);
  append_attribute(svg, "width", layout::plot_width);
  append_attribute(svg, "height", layout::plot_height);
  svg += "/></clipPath>\n<g clip-path=\"url(#plot-area-";
  append_integer(svg, index);
  svg += ")\">\n";
  for (const svg_series& s : panel.series) {
    const std::size_t n = s.x.size() < s.y.size() ? s.x.size() : s.y.size();
    // A non-finite value ends one polyline and the next finite one starts another: a gap, not a spike.
    bool open = false;
    for (std::size_t k = 0; k < n; ++k) {
      if (!std::isfinite(s.y[k])) {
        if (open) svg += "\"/>\n";
        open = false;
        continue;
      }
      if (!open) {
        svg += R"(<polyline fill="none" stroke-width="2" stroke-linejoin="round" stroke=")";
        svg += s.colour;
        svg += R"(" points=")";
        open = true;
      } else {
        svg += ' ';
      }
      append_fixed(svg, x_of(s.x[k]), 1);
      svg += ',';
      append_fixed(svg, y_of(s.y[k]), 1);
    }
    if (open) svg += "\"/>\n";
    if (n <= layout::max_points_with_markers) {
      for (std::size_t k = 0; k < n; ++k) {
        if (!std::isfinite(s.y[k])) continue;
        svg += "<circle";
        append_attribute(svg, "cx", x_of(s.x[k]));
        append_attribute(svg, "cy", y_of(s.y[k]));
        svg += R"( r="2.5" fill=")";
        svg += s.colour;
        svg += "\"/>\n";
      }
    }
  }
  svg += "</g>\n";

  // Legend at mid-height on the right, on a white box: accuracy curves end near the top and cost
  // curves near the bottom, so the middle of the right side is where a legend hides the least.
  std::size_t labelled = 0;
  for (const svg_series& s : panel.series) labelled += s.label.empty() ? 0 : 1;
  if (labelled > 0) {
    const double box_x = right - 118;
    double legend_y = (top + bottom) / 2 - 8.5 * static_cast<double>(labelled);
    svg += "<rect";
    append_attribute(svg, "x", box_x);
    append_attribute(svg, "y", legend_y - 4);
    append_attribute(svg, "width", 108);
    append_attribute(svg, "height", 17 * static_cast<double>(labelled) + 6);
    svg += R"( fill="white" fill-opacity="0.85" stroke="#ccc"/>)" "\n";
    for (const svg_series& s : panel.series) {
      if (s.label.empty()) continue;
      legend_y += 17;
      append_line(svg, box_x + 8, legend_y - 4, box_x + 28, legend_y - 4,
                  std::string(R"(stroke-width="2" stroke=")") + std::string(s.colour) + "\"");
      append_text(svg, box_x + 34, legend_y, R"(font-size="12")", s.label);
    }
  }
}

/** Returns an SVG document of `panels` side by side under `title`. */
inline std::string svg_figure(std::string_view title, std::span<const svg_panel> panels) {
  using layout = svg_layout;
  const double width = layout::panel_width * static_cast<double>(panels.size());
  std::string svg = R"(<?xml version="1.0" encoding="UTF-8"?>)" "\n";
  svg += R"(<svg xmlns="http://www.w3.org/2000/svg")";
  append_attribute(svg, "width", width);
  append_attribute(svg, "height", layout::height);
  svg += R"( viewBox="0 0 )";
  append_fixed(svg, width, 0);
  svg += ' ';
  append_fixed(svg, layout::height, 0);
  svg += R"(" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" fill="#222">)" "\n";
  svg += R"(<rect width="100%" height="100%" fill="white"/>)" "\n";
  append_text(svg, width / 2, 28, R"(text-anchor="middle" font-size="18" font-weight="bold")", title);
  for (std::size_t k = 0; k < panels.size(); ++k) append_panel(svg, k, panels[k]);
  svg += "</svg>\n";
  return svg;
}

}  // namespace detail

/** Returns an SVG figure of a training history: accuracy per epoch (0 to 1) on the left,
    cost per epoch (0 to a round number above the largest cost) on the right, under `title`. */
inline std::string history_svg(const history& training, std::string_view title) {
  std::vector<double> epochs, costs, accuracies, validation_costs, validation_accuracies;
  double max_epoch = 0, max_cost = 0;
  bool validated = false;
  for (const epoch_stats& s : training.epochs()) {
    epochs.push_back(static_cast<double>(s.epoch));
    costs.push_back(s.cost);
    accuracies.push_back(s.accuracy);
    // An epoch without validation figures is a gap in the validation line.
    validation_costs.push_back(s.validated ? s.validation_cost : std::numeric_limits<double>::quiet_NaN());
    validation_accuracies.push_back(s.validated ? s.validation_accuracy : std::numeric_limits<double>::quiet_NaN());
    validated = validated || s.validated;
    if (static_cast<double>(s.epoch) > max_epoch) max_epoch = static_cast<double>(s.epoch);
    if (std::isfinite(s.cost) && s.cost > max_cost) max_cost = s.cost;
    if (s.validated && std::isfinite(s.validation_cost) && s.validation_cost > max_cost) max_cost = s.validation_cost;
  }
  constexpr std::string_view blue = "#1f77b4", orange = "#ff7f0e";
  const detail::svg_axis epoch_axis = detail::nice_axis(max_epoch, 5, 1);
  detail::svg_panel panels[] = {
      {"Accuracy per epoch", "epoch", "accuracy", epoch_axis, {1, 0.2, 1}, {{epochs, accuracies, blue}}},
      {"Cost per epoch", "epoch", "cost", epoch_axis, detail::nice_axis(max_cost, 5, 0), {{epochs, costs, blue}}},
  };
  if (validated) {  // training against validation, with a legend
    panels[0].series[0].label = panels[1].series[0].label = "training";
    panels[0].series.push_back({epochs, validation_accuracies, orange, "validation"});
    panels[1].series.push_back({epochs, validation_costs, orange, "validation"});
  }
  return detail::svg_figure(title, panels);
}

/** Writes history_svg(training, title) to `path`, whole or not at all. I/O failures are
    returned (ok false, with a message naming the file), never thrown. */
inline io_result write_history_svg(const std::filesystem::path& path, const history& training, std::string_view title) {
  return write_text_file(path, history_svg(training, title));
}

}  // namespace ctnn::host
