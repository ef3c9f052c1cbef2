// The terminal chart of hsctl fleet host: marks land where the values are
// (top row the largest, left column the first x), the band shades between
// its bounds, the threshold line is drawn and labelled, no line is wider
// than asked, and charts without finite points say so.
#include "clients/hsctl/terminal_chart.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace horizonscale::hsctl {
namespace {

TEST(TerminalChart, MarksBandAndThresholdLandWhereTheValuesAre) {
  ChartSeries line{.x = {0, 1, 2, 3, 4}, .y = {0, 1, 2, 3, 4}, .mark = '*'};
  ChartSeries band{.x = {4}, .y = {4}, .mark = 'o', .lower = {0}, .upper = {4}};
  const std::vector<std::string> lines = RenderChart({.series = {band, line},
                                                      .threshold = 2,
                                                      .threshold_label = "limit",
                                                      .width = 40,
                                                      .height = 5});
  ASSERT_EQ(lines.size(), 7u);  // 5 plot rows, the axis, the tick labels
  for (const std::string& text : lines) EXPECT_LE(text.size(), 40u) << text;
  // Each plot row is "<tick> |<plot>": the plot starts after " |".
  auto plot = [&](int row) { return lines[row].substr(lines[row].find(" |") + 2); };
  EXPECT_EQ(plot(0).back(), '*');          // y = 4 at the last x: top right (the later series wins)
  EXPECT_EQ(plot(4).front(), '*');         // y = 0 at the first x: bottom left
  EXPECT_EQ(plot(2).find(" limit "), 2u);  // "-- limit ---"
  EXPECT_NE(plot(2).find('-'), std::string::npos);
  for (int row = 1; row < 4; ++row) {
    if (row == 2) continue;                   // the threshold row
    EXPECT_EQ(plot(row).back(), ':') << row;  // the band under and over the mark
  }
  // The axis: its corner, then a tick over the first x, labelled "0".
  const size_t corner = lines[5].find('+');
  ASSERT_NE(corner, std::string::npos);
  EXPECT_EQ(lines[5][corner + 1], '+');
  EXPECT_EQ(lines[6].find('0'), corner + 1);
}

TEST(TerminalChart, NonFiniteValuesAreLeftOutAndNoPointsSaySo) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(RenderChart({}), std::vector<std::string>{"(no points)"});
  EXPECT_EQ(RenderChart({.series = {{.x = {nan, 1}, .y = {1, nan}}}}),
            std::vector<std::string>{"(no points)"});
  // A constant series still draws (the axis is widened around it).
  const std::vector<std::string> flat =
      RenderChart({.series = {{.x = {0, 1, 2}, .y = {5, 5, 5}}}, .width = 30, .height = 4});
  ASSERT_EQ(flat.size(), 6u);
  int marks = 0;
  for (const std::string& text : flat)
    marks += static_cast<int>(std::count(text.begin(), text.end(), '*'));
  EXPECT_EQ(marks, 3);
}

}  // namespace
}  // namespace horizonscale::hsctl
