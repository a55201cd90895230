#include "scale/state.h"

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "sys/file.h"

namespace berth::scale {
namespace {

std::string Rfc3339(double unix_time) {
  const std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Figure(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

std::string Ago(double seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 120) return std::to_string(static_cast<long>(seconds)) + "s ago";
  if (seconds < 7200) return std::to_string(static_cast<long>(seconds / 60)) + "m ago";
  return std::to_string(static_cast<long>(seconds / 3600)) + "h ago";
}

}  // namespace

std::string ScalerStateToJson(const ScalerState& s) {
  nlohmann::json j = {
      {"version", 1},         {"time", Rfc3339(s.unix_time)},
      {"unix", s.unix_time},  {"service", s.service},
      {"backend", s.backend}, {"metric", s.metric},
      {"target", s.target},   {"min", s.min},
      {"max", s.max},         {"observed", s.observed},
      {"current", s.current}, {"starting", s.starting},
      {"desired", s.desired}, {"action", s.action},
      {"reason", s.reason},   {"error", s.error},
  };
  return j.dump(2) + "\n";
}

Result<ScalerState> ScalerStateFromJson(std::string_view text) {
  try {
    const auto j = nlohmann::json::parse(text);
    if (!j.is_object() || j.value("version", 0) != 1) {
      return Err(Status::InvalidArgument("not a scaler state file of version 1"));
    }
    ScalerState s;
    s.unix_time = j.at("unix").get<double>();
    s.service = j.at("service").get<std::string>();
    s.backend = j.at("backend").get<std::string>();
    s.metric = j.at("metric").get<std::string>();
    s.target = j.at("target").get<double>();
    s.min = j.at("min").get<int>();
    s.max = j.at("max").get<int>();
    s.observed = j.at("observed").get<double>();
    s.current = j.at("current").get<int>();
    s.starting = j.at("starting").get<int>();
    s.desired = j.at("desired").get<int>();
    s.action = j.at("action").get<std::string>();
    s.reason = j.at("reason").get<std::string>();
    s.error = j.at("error").get<std::string>();
    return s;
  } catch (const nlohmann::json::exception& e) {
    return Err(Status::InvalidArgument(std::string("scaler state: ") + e.what()));
  }
}

Status WriteScalerState(const std::string& path, const ScalerState& state) {
  auto staged = sys::StagedFile::Create(path);
  if (!staged) return staged.error();
  BERTH_RETURN_IF_ERROR(staged->WriteAndSync(ScalerStateToJson(state)));
  BERTH_RETURN_IF_ERROR(staged->Chmod(0644));
  return staged->Commit(path);
}

Result<std::optional<ScalerState>> ReadScalerState(const std::string& path) {
  auto info = sys::Stat(path);
  if (!info) return Err(info.error());
  if (!info->has_value()) return std::optional<ScalerState>();
  auto text = sys::ReadFile(path);
  if (!text) return Err(text.error());
  auto s = ScalerStateFromJson(*text);
  if (!s) return Err(s.error().Wrap(path));
  return std::optional<ScalerState>(std::move(*s));
}

std::string DescribeScalerState(const ScalerState& s, double now) {
  std::string out = std::to_string(s.current) + " → " + std::to_string(s.desired) + " (" +
                    s.metric + " " + Figure(s.observed) + "/instance, target " + Figure(s.target) +
                    ", min " + std::to_string(s.min) + ", max " + std::to_string(s.max);
  if (!s.reason.empty()) out += "; " + s.reason;
  out += "), " + Ago(now - s.unix_time);
  if (!s.error.empty()) out += "; last interval: " + s.error;
  return out;
}

}  // namespace berth::scale
