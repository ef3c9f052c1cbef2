#include "clients/hsctl/terminal_chart.h"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

namespace horizonscale::hsctl {
namespace {

constexpr int kTickWidth = 6;                 // a y tick value
constexpr int kPrefixWidth = kTickWidth + 2;  // and " |"
constexpr int kYTickEvery = 5;                // rows between y ticks
constexpr int kXTicks = 4;

struct Span {
  double low = INFINITY;
  double high = -INFINITY;
  void Add(double value) {
    if (!std::isfinite(value)) return;
    low = std::min(low, value);
    high = std::max(high, value);
  }
  bool empty() const { return low > high; }
  // A span of at least `width`, for a constant series.
  void Widen(double width) {
    if (high - low >= width) return;
    low -= width / 2;
    high += width / 2;
  }
};

// The cell of `value` among `cells`, from `low` (cell 0) to `high`.
int Cell(double value, double low, double high, int cells) {
  const long cell = std::lround((value - low) / (high - low) * (cells - 1));
  return static_cast<int>(std::clamp<long>(cell, 0, cells - 1));
}

}  // namespace

std::vector<std::string> RenderChart(const Chart& chart) {
  Span xs, ys;
  for (const ChartSeries& s : chart.series) {
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      xs.Add(s.x[i]);
      ys.Add(s.y[i]);
      if (i < s.lower.size() && i < s.upper.size()) {
        ys.Add(s.lower[i]);
        ys.Add(s.upper[i]);
      }
    }
  }
  if (xs.empty()) return {"(no points)"};
  if (chart.threshold.has_value()) ys.Add(*chart.threshold);
  xs.Widen(1);
  ys.Widen(std::max(1e-9, std::abs(ys.high) * 1e-3));
  const int columns = std::max(kXTicks * 4, chart.width - kPrefixWidth);
  const int rows = std::max(2, chart.height);
  const auto column = [&](double x) { return Cell(x, xs.low, xs.high, columns); };
  const auto row = [&](double y) { return rows - 1 - Cell(y, ys.low, ys.high, rows); };
  std::vector<std::string> grid(rows, std::string(columns, ' '));

  for (const ChartSeries& s : chart.series) {
    for (size_t i = 0; i < s.x.size() && i < s.lower.size() && i < s.upper.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.lower[i]) || !std::isfinite(s.upper[i])) {
        continue;
      }
      const int c = column(s.x[i]);
      for (int r = row(s.upper[i]); r <= row(s.lower[i]); ++r) grid[r][c] = s.band_mark;
    }
  }
  if (chart.threshold.has_value()) {
    std::string& line = grid[row(*chart.threshold)];
    for (char& cell : line) cell = cell == ' ' ? '-' : cell;
    const std::string label = " " + chart.threshold_label + " ";
    for (size_t i = 0; i < label.size() && 2 + i < line.size(); ++i) {
      if (line[2 + i] == '-') line[2 + i] = label[i];
    }
  }
  for (const ChartSeries& s : chart.series) {
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
        grid[row(s.y[i])][column(s.x[i])] = s.mark;
    }
  }

  std::vector<std::string> lines;
  for (int r = 0; r < rows; ++r) {
    const bool tick = r % kYTickEvery == 0 || r == rows - 1;
    const double value = ys.high - (ys.high - ys.low) * r / (rows - 1);
    const std::string label =
        tick ? fmt::format("{:>{}.4g}", value, kTickWidth) : std::string(kTickWidth, ' ');
    lines.push_back(label + " |" + grid[r]);
  }
  std::string axis = std::string(kPrefixWidth - 1, ' ') + "+" + std::string(columns, '-');
  std::string labels(kPrefixWidth + columns, ' ');
  size_t free_from = 0;  // the first position of `labels` not yet written
  for (int t = 0; t < kXTicks; ++t) {
    const int c = (columns - 1) * t / (kXTicks - 1);
    axis[kPrefixWidth + c] = '+';
    const double x = xs.low + (xs.high - xs.low) * c / (columns - 1);
    const std::string text = chart.x_label ? chart.x_label(x) : fmt::format("{:g}", x);
    const size_t end = static_cast<size_t>(kPrefixWidth + c) + 1;
    const size_t start =
        t == kXTicks - 1 ? end - std::min(end, text.size()) : static_cast<size_t>(kPrefixWidth + c);
    if (start < free_from || start + text.size() > labels.size()) continue;
    labels.replace(start, text.size(), text);
    free_from = start + text.size() + 1;
  }
  while (!labels.empty() && labels.back() == ' ') labels.pop_back();
  lines.push_back(axis);
  lines.push_back(labels);
  return lines;
}

}  // namespace horizonscale::hsctl
