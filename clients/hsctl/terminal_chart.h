// A character plot of series for a terminal: points as marks, an interval
// band as shading, a labelled horizontal threshold line, y and x axes with
// a few ticks. Unit-free: the caller says how x values read (x_label).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace horizonscale::hsctl {

// One series: a mark at each (x[i], y[i]); with a band, the cells from
// lower[i] to upper[i] in x[i]'s column shaded. Non-finite values are
// left out.
struct ChartSeries {
  std::vector<double> x{};
  std::vector<double> y{};
  char mark = '*';
  std::vector<double> lower{};  // empty, or one per point
  std::vector<double> upper{};  // empty, or one per point
  char band_mark = ':';
};

struct Chart {
  std::vector<ChartSeries> series{};
  std::optional<double> threshold{};             // a horizontal line of '-'
  std::string threshold_label{};                 // written at the start of that line
  int width = 80;                                // characters per line, axis labels included
  int height = 16;                               // rows of the plot
  std::function<std::string(double)> x_label{};  // an x tick's text; default "{:g}"
};

// The chart's lines: `height` plot rows (a y tick value or blanks, " |",
// then the plot), the x axis, and a line of x tick labels; none longer than
// `width`. The axes span every value shown (and the threshold). Bands are
// drawn first, then the threshold line, then the series' marks in order (a
// later series' mark wins a shared cell). A chart without finite points is
// the single line "(no points)".
std::vector<std::string> RenderChart(const Chart& chart);

}  // namespace horizonscale::hsctl
