// One row for a COPY through pqxx::stream_to, built field by field in
// PostgreSQL's text input forms (NULL included): a whole shard's results go in
// with one COPY per table instead of one INSERT per row. libpqxx escapes the
// fields for the COPY format.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <pqxx/strconv>
#include <pqxx/stream_to>
#include <pqxx/transaction>

namespace horizonscale::db {

// One field: its text input form, or NULL.
struct CopyField {
  std::string text;
  bool null = false;
};

class CopyLine {
 public:
  // Appends a text field.
  CopyLine& Text(std::string_view value);
  // Appends NULL.
  CopyLine& Null();
  // Appends an integer.
  CopyLine& Int(int64_t value);
  // Appends a double in its shortest exact form ("NaN", "Infinity",
  // "-Infinity" for the non-finite).
  CopyLine& Double(double value);
  // Appends a real[] (float4) array literal "{1.5,2.25}" of `values`,
  // rounded to float.
  CopyLine& RealArray(std::span<const double> values);
  // Appends a date field from a day number (days since 1970-01-01).
  CopyLine& Date(int64_t day);

  // The fields, in the order appended.
  const std::vector<CopyField>& fields() const { return fields_; }

 private:
  std::vector<CopyField> fields_;
};

// A COPY into the named columns of one table: the column list given once
// drives both the COPY statement and the field count every line must have.
//
//   constexpr auto kColumns = std::to_array<std::string_view>({"run_id", "model"});
//   CopyTable<kColumns.size()> copy(tx, "fleet_run_calibration", kColumns);
//   copy.Write(CopyLine().Text(run_id).Text(model));
//   copy.Complete();
template <size_t kColumns>
class CopyTable {
 public:
  // Starts `COPY table (columns...) FROM STDIN` in `tx`.
  CopyTable(pqxx::work& tx, std::string_view table,
            const std::array<std::string_view, kColumns>& columns)
      : stream_(tx, std::string(table), std::vector<std::string>(columns.begin(), columns.end())) {}

  // Writes one row. Throws std::logic_error when `line` has another number of
  // fields than the table has columns (a programming error, caught by tests).
  void Write(const CopyLine& line) {
    const std::vector<CopyField>& fields = line.fields();
    if (fields.size() != kColumns)
      throw std::logic_error("COPY line with a wrong number of fields");
    // libpqxx 6.4 streams tuples only.
    stream_ << [&]<size_t... kIndex>(std::index_sequence<kIndex...>) {
      return std::make_tuple(fields[kIndex]...);
    }
    (std::make_index_sequence<kColumns>{});
  }

  // Ends the COPY; rows are visible to `tx` from here on.
  void Complete() { stream_.complete(); }

 private:
  pqxx::stream_to stream_;
};

// The ISO date "YYYY-MM-DD" of a day number (days since 1970-01-01).
std::string IsoDate(int64_t day);

}  // namespace horizonscale::db

namespace pqxx {

// Lets pqxx::stream_to write CopyFields (NULL or text).
template <>
struct string_traits<horizonscale::db::CopyField> {
  static constexpr const char* name() noexcept { return "horizonscale::db::CopyField"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const horizonscale::db::CopyField& field) { return field.null; }
  static horizonscale::db::CopyField null() { return {"", true}; }
  static void from_string(const char text[], horizonscale::db::CopyField& field) {
    field = {text, false};
  }
  static std::string to_string(const horizonscale::db::CopyField& field) { return field.text; }
};

}  // namespace pqxx
