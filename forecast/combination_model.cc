// The combination model: the equal-weight mean of the ETS, Theta and ARIMA
// forecasts (forecast/internal/models.h). Combining strong members is known
// to beat each of them on average (the M3 and M4 competitions; Hyndman,
// "A brief history of forecasting competitions", 2020), and the mean is the
// combination that needs no weights estimated.
//
// Members: every one of the three that fits the series (at least one); its
// point forecast is the mean of theirs, and its interval the mean of their
// bounds (a heuristic, with no calibration of its own). Extend extends every
// member.
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>

#include "forecast/cancellation.h"
#include "forecast/internal/models.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast::internal {
namespace {

constexpr ModelKind kMembers[] = {ModelKind::kEts, ModelKind::kTheta, ModelKind::kArima};

class CombinationModel final : public FittedModel {
 public:
  explicit CombinationModel(std::vector<std::unique_ptr<FittedModel>> members)
      : members_(std::move(members)) {}

  ModelKind kind() const override { return ModelKind::kCombination; }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    std::vector<ForecastValue> mean(static_cast<size_t>(std::max(horizon, 0)));
    const double weight = 1.0 / static_cast<double>(members_.size());
    for (const std::unique_ptr<FittedModel>& member : members_) {
      const std::vector<ForecastValue> forecast = member->Predict(horizon, level);
      for (size_t h = 0; h < mean.size(); ++h) {
        mean[h].value += weight * forecast[h].value;
        mean[h].lower += weight * forecast[h].lower;
        mean[h].upper += weight * forecast[h].upper;
      }
    }
    return mean;
  }

  bool analytic_interval() const override {
    for (const std::unique_ptr<FittedModel>& member : members_) {
      if (!member->analytic_interval()) return false;
    }
    return true;
  }

  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    std::vector<std::unique_ptr<FittedModel>> extended;
    for (const std::unique_ptr<FittedModel>& member : members_) {
      extended.push_back(member->Extend(more));
    }
    return std::make_unique<CombinationModel>(std::move(extended));
  }

  // Each member's parameters, prefixed with its name ("ets.alpha").
  std::vector<std::pair<std::string, double>> parameters() const override {
    std::vector<std::pair<std::string, double>> named;
    for (const std::unique_ptr<FittedModel>& member : members_) {
      for (const auto& [name, value] : member->parameters()) {
        named.emplace_back(absl::StrCat(ModelName(member->kind()), ".", name), value);
      }
    }
    return named;
  }

  std::string description() const override {
    std::vector<std::string> descriptions;
    for (const std::unique_ptr<FittedModel>& member : members_) {
      descriptions.push_back(member->description());
    }
    return absl::StrCat("Mean of ", absl::StrJoin(descriptions, ", "));
  }

 protected:
  // Every member refitted with its own structure.
  absl::StatusOr<std::unique_ptr<FittedModel>> RefitChecked(
      std::span<const double> values, const ModelOptions& options) const override {
    std::vector<std::unique_ptr<FittedModel>> refitted;
    for (const std::unique_ptr<FittedModel>& member : members_) {
      absl::StatusOr<std::unique_ptr<FittedModel>> refit = member->Refit(values, options);
      if (!refit.ok()) return refit.status();
      refitted.push_back(std::move(*refit));
    }
    return std::make_unique<CombinationModel>(std::move(refitted));
  }

 private:
  std::vector<std::unique_ptr<FittedModel>> members_;
};

}  // namespace

int CombinationMinimumLength(const ModelOptions& options) {
  int shortest = MinimumLength(kMembers[0], options);
  for (ModelKind member : kMembers) shortest = std::min(shortest, MinimumLength(member, options));
  return shortest;
}

absl::StatusOr<std::unique_ptr<FittedModel>> FitCombinationModel(std::span<const double> values,
                                                                 const ModelOptions& options) {
  std::vector<std::unique_ptr<FittedModel>> members;
  std::vector<std::string> failures;
  for (ModelKind kind : kMembers) {
    absl::StatusOr<std::unique_ptr<FittedModel>> member = FitModel(kind, values, options);
    if (member.ok()) {
      members.push_back(std::move(*member));
      continue;
    }
    if (member.status().code() == absl::StatusCode::kCancelled) return member.status();
    failures.push_back(absl::StrCat(ModelName(kind), ": ", member.status().message()));
  }
  if (members.empty()) {
    return InsufficientHistoryError(
        absl::StrCat("no member of the combination fits: ", absl::StrJoin(failures, "; ")));
  }
  return CombineModels(std::move(members));
}

std::unique_ptr<FittedModel> CombineModels(std::vector<std::unique_ptr<FittedModel>> members) {
  return std::make_unique<CombinationModel>(std::move(members));
}

}  // namespace horizonscale::forecast::internal
