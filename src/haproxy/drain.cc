#include "haproxy/drain.h"

#include <charconv>
#include <thread>

namespace berth::haproxy {

Status WaitForNoSessions(const RuntimeApi& api, std::span<const ServerRef> servers,
                         std::chrono::milliseconds timeout, std::chrono::milliseconds interval) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto rows = api.ShowStat();
    if (!rows) return rows.error();
    int64_t sessions = 0;
    std::string busy;
    for (const auto& row : *rows) {
      const auto sv = row.find("svname");
      const auto px = row.find("pxname");
      const auto scur = row.find("scur");
      if (sv == row.end() || px == row.end() || scur == row.end()) continue;
      for (const auto& ref : servers) {
        if (sv->second != ref.server || (!ref.backend.empty() && px->second != ref.backend)) {
          continue;
        }
        int64_t n = 0;
        const std::string& v = scur->second;
        std::from_chars(v.data(), v.data() + v.size(), n);
        if (n > 0) {
          sessions += n;
          busy += (busy.empty() ? "" : ", ") + px->second + "/" + sv->second + " (" +
                  std::to_string(n) + ")";
        }
      }
    }
    if (sessions == 0) return Status::Ok();
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::Timeout(std::to_string(sessions) + " session(s) still open on " + busy +
                             " after the drain timeout");
    }
    std::this_thread::sleep_for(interval);
  }
}

Status WaitForNoSessions(const std::string& socket, const std::string& backend,
                         const std::string& server, std::chrono::milliseconds timeout) {
  const RuntimeApi api(socket);
  const ServerRef ref{backend, server};
  return WaitForNoSessions(api, std::span<const ServerRef>(&ref, 1), timeout);
}

}  // namespace berth::haproxy
