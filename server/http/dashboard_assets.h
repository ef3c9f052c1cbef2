// The dashboard's files (server/http/dashboard/ and uPlot from npm),
// embedded in the binary at build time by server/http/embed_assets.cmake:
// the dashboard works offline, from any working directory, with no CDN.
#pragma once

#include <string_view>

namespace horizonscale::server {

struct DashboardAsset {
  std::string_view url;           // "/", "/dashboard/dashboard.js", ...
  std::string_view content_type;  // "text/html; charset=utf-8", ...
  std::string_view body;
};

// The asset served at `url`, or null.
const DashboardAsset* FindDashboardAsset(std::string_view url);

}  // namespace horizonscale::server
