// The entry points of berth's commands; main() dispatches to them.
#pragma once

#include <string>
#include <vector>

namespace berth::app {

inline constexpr char kVersion[] = "0.1.0";

// `berth confd` / `confd`: `program` is the name used in messages and usage.
int ConfdMain(const std::string& program, const std::vector<std::string>& args);
// `berth agent`, `berth launch`, `berth kill`.
int AgentMain(const std::vector<std::string>& args);
int LaunchMain(const std::vector<std::string>& args);
int KillMain(const std::vector<std::string>& args);
// `berth scale`: launch or kill instances as HAProxy's load asks.
int ScaleMain(const std::vector<std::string>& args);
// `berth up`, `berth down`, `berth status`: the whole system on one host.
int UpMain(const std::vector<std::string>& args);
int DownMain(const std::vector<std::string>& args);
int StatusMain(const std::vector<std::string>& args);

}  // namespace berth::app
