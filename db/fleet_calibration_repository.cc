#include "db/fleet_calibration_repository.h"

#include <array>
#include <string_view>

#include <absl/strings/str_cat.h>

#include "db/copy_line.h"
#include "db/real_array.h"
#include "db/sql_support.h"

namespace horizonscale::db {
namespace {

constexpr char kCalibrationSql[] = R"sql(
SELECT model, sample_series, width_scales::text FROM fleet_run_calibration
WHERE run_id = $1::uuid ORDER BY model)sql";

constexpr auto kCalibrationColumns =
    std::to_array<std::string_view>({"run_id", "model", "sample_series", "width_scales"});

}  // namespace

absl::Status StoreIntervalCalibration(pqxx::work& tx, const std::string& run_id,
                                      const forecast::IntervalCalibration& calibration) {
  if (calibration.sample_series == 0) return absl::OkStatus();
  return RunSql<bool>("storing the interval calibration",
                      [&] {
                        CopyTable<kCalibrationColumns.size()> copy(tx, "fleet_run_calibration",
                                                                   kCalibrationColumns);
                        for (const auto& [kind, scales] : calibration.width_scales) {
                          copy.Write(CopyLine()
                                         .Text(run_id)
                                         .Text(forecast::ModelName(kind))
                                         .Int(calibration.sample_series)
                                         .RealArray(scales));
                        }
                        copy.Complete();
                        return true;
                      })
      .status();
}

absl::StatusOr<forecast::IntervalCalibration> LoadIntervalCalibration(pqxx::work& tx,
                                                                      const std::string& run_id) {
  using Result = forecast::IntervalCalibration;
  return RunSql<Result>("loading the interval calibration", [&]() -> absl::StatusOr<Result> {
    Result calibration;
    for (const pqxx::row& row : tx.exec_params(kCalibrationSql, run_id)) {
      const std::string model = row[0].as<std::string>();
      const std::optional<forecast::ModelKind> kind = forecast::ModelKindFromName(model);
      if (!kind.has_value()) {
        return absl::DataLossError(
            absl::StrCat("run ", run_id, " has a calibration for an unknown model: ", model));
      }
      absl::StatusOr<std::vector<double>> scales = ParseRealArray(row[2].c_str());
      if (!scales.ok()) return scales.status();
      calibration.sample_series = row[1].as<int>();
      calibration.width_scales[*kind] = *std::move(scales);
    }
    return calibration;
  });
}

}  // namespace horizonscale::db
