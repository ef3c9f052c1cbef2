// CSV rendering; formats numbers and dates by hand because it runs for every
// one of the fleet's millions of rows.
#include "clients/fleet_generator/csv.h"

#include <cmath>

namespace horizonscale::fleetgen {
namespace {

void AppendDigits(int64_t value, int width, std::string& out) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 || n < width);
  while (n > 0) out.push_back(digits[--n]);
}

void AppendDate(absl::CivilDay date, std::string& out) {
  AppendDigits(date.year(), 4, out);
  out.push_back('-');
  AppendDigits(date.month(), 2, out);
  out.push_back('-');
  AppendDigits(date.day(), 2, out);
}

void AppendField(std::string_view field, std::string& out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

std::string FormatDate(int64_t day) {
  std::string text;
  AppendDate(CivilDayOf(day), text);
  return text;
}

void AppendPercent(double value, std::string& out) {
  auto thousandths = static_cast<int64_t>(std::llround(value * 1000));
  if (thousandths < 0) {
    out.push_back('-');
    thousandths = -thousandths;
  }
  AppendDigits(thousandths / 1000, 1, out);
  out.push_back('.');
  AppendDigits(thousandths % 1000, 3, out);
}

void AppendSampleRows(const GeneratedHost& host, std::string& out) {
  for (const GeneratedSeries& series : host.series) {
    // "host,resource," is the same on every row of the series.
    std::string prefix;
    AppendField(host.spec.host_id, prefix);
    prefix.push_back(',');
    prefix.append(ResourceName(series.resource));
    prefix.push_back(',');
    auto duplicate = series.duplicate_offsets.begin();
    absl::CivilDay date = CivilDayOf(series.first_day);
    for (size_t t = 0; t < series.values.size(); ++t, ++date) {
      const double value = series.values[t];
      if (std::isnan(value)) continue;
      const size_t row_start = out.size();
      out.append(prefix);
      AppendDate(date, out);
      out.push_back(',');
      AppendPercent(value, out);
      out.push_back('\n');
      while (duplicate != series.duplicate_offsets.end() && static_cast<size_t>(*duplicate) < t) {
        ++duplicate;
      }
      if (duplicate != series.duplicate_offsets.end() && static_cast<size_t>(*duplicate) == t) {
        const std::string row = out.substr(row_start);
        out.append(row);
      }
    }
  }
}

void AppendHostRow(const HostSpec& spec, std::string& out) {
  AppendField(spec.host_id, out);
  out.push_back(',');
  AppendField(spec.department, out);
  out.push_back(',');
  AppendField(spec.app_code, out);
  out.push_back(',');
  out.append(ScenarioName(spec.scenario));
  out.push_back('\n');
}

void AppendBreachRows(const GeneratedHost& host, std::string& out) {
  for (const GeneratedSeries& series : host.series) {
    if (!series.true_breach_day.has_value()) continue;
    AppendField(host.spec.host_id, out);
    out.push_back(',');
    out.append(ResourceName(series.resource));
    out.push_back(',');
    AppendDate(CivilDayOf(*series.true_breach_day), out);
    out.push_back('\n');
  }
}

}  // namespace horizonscale::fleetgen
