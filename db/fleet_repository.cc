#include "db/fleet_repository.h"

#include <algorithm>

#include <string_view>

#include <absl/strings/str_cat.h>

#include "db/fleet_series_codec.h"
#include "db/sql_support.h"

namespace horizonscale::db {
namespace {

constexpr char kLoadSeriesSql[] = R"sql(
SELECT host_id, resource, days, utilization FROM fleet_series
WHERE (cardinality($1::text[]) = 0 OR host_id = ANY ($1::text[]))
  AND ($2::smallint = 0 OR resource = $2::smallint)
  AND (NOT $3::boolean OR (host_id, resource) > ($4::text, $5::smallint))
ORDER BY host_id, resource
LIMIT NULLIF($6::bigint, 0))sql";

constexpr char kLoadHostsSql[] = R"sql(
SELECT host_id, department, app_code, scenario FROM fleet_hosts
WHERE cardinality($1::text[]) = 0 OR host_id = ANY ($1::text[])
ORDER BY host_id)sql";

std::string TextArray(const std::vector<std::string>& values) {
  SqlArray array;
  for (const std::string& value : values) array.Add(value);
  return array.Literal();
}

}  // namespace

absl::StatusOr<std::vector<FleetSeries>> LoadFleetSeries(pqxx::connection& connection,
                                                         const FleetSeriesFilter& filter) {
  return RunSql<std::vector<FleetSeries>>(
      "loading fleet series", [&]() -> absl::StatusOr<std::vector<FleetSeries>> {
        pqxx::read_transaction tx(connection);
        // Plain values, no std::optional parameters: GCC 12 at -O3 warns
        // (wrongly) that libpqxx reads them uninitialized.
        const int64_t limit = std::max<int64_t>(filter.limit, 0);  // 0: no limit
        const pqxx::result rows =
            tx.exec_params(kLoadSeriesSql, TextArray(filter.host_ids), filter.resource,
                           filter.after_host_id.has_value(), filter.after_host_id.value_or(""),
                           filter.after_resource, limit);
        std::vector<FleetSeries> series(rows.size());
        for (pqxx::result::size_type i = 0; i < rows.size(); ++i) {
          FleetSeries& out = series[i];
          out.host_id = rows[i][0].as<std::string>();
          out.resource = rows[i][1].as<int>();
          const pqxx::binarystring days(rows[i][2]);
          const pqxx::binarystring values(rows[i][3]);
          absl::Status decoded = DecodeSeries(std::string_view(days.get(), days.size()),
                                              std::string_view(values.get(), values.size()),
                                              out.days, out.utilization);
          if (!decoded.ok()) {
            return absl::DataLossError(absl::StrCat("fleet_series row (", out.host_id, ", ",
                                                    out.resource, "): ", decoded.message()));
          }
        }
        return series;
      });
}

absl::StatusOr<std::vector<FleetHost>> LoadFleetHosts(pqxx::connection& connection,
                                                      const std::vector<std::string>& host_ids) {
  return RunSql<std::vector<FleetHost>>("loading fleet hosts", [&] {
    pqxx::read_transaction tx(connection);
    std::vector<FleetHost> hosts;
    for (const pqxx::row& row : tx.exec_params(kLoadHostsSql, TextArray(host_ids))) {
      hosts.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                       row[3].as<std::string>()});
    }
    return hosts;
  });
}

}  // namespace horizonscale::db
