#include "base/log.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <ctime>
#include <mutex>

namespace berth::log {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::mutex g_mu;
std::string g_tag = "berth";  // guarded by g_mu

std::string Hostname() {
  char buf[256];
  if (gethostname(buf, sizeof(buf)) != 0) return "localhost";
  buf[sizeof(buf) - 1] = '\0';
  return buf;
}

// time.Now().Format(time.RFC3339)
std::string Rfc3339Now() {
  const time_t now = time(nullptr);
  struct tm tm {};
  localtime_r(&now, &tm);
  char buf[64];
  size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  const long off = tm.tm_gmtoff;
  if (off == 0) return out + "Z";
  const long a = off < 0 ? -off : off;
  snprintf(buf, sizeof(buf), "%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
  return out + buf;
}

std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarning:
      return "WARNING";
    case Level::kError:
      return "ERROR";
  }
  return "INFO";
}

}  // namespace

void SetTag(std::string tag) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_tag = std::move(tag);
}

void SetLevel(Level level) { g_level = level; }

bool SetLevel(std::string_view name) {
  std::string n;
  for (char c : name) n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "debug" || n == "trace") {
    SetLevel(Level::kDebug);
  } else if (n == "info") {
    SetLevel(Level::kInfo);
  } else if (n == "warn" || n == "warning") {
    SetLevel(Level::kWarning);
  } else if (n == "error" || n == "fatal" || n == "panic") {
    SetLevel(Level::kError);
  } else {
    return false;
  }
  return true;
}

bool Enabled(Level level) { return level >= g_level.load(); }

void Write(Level level, std::string_view message) {
  if (!Enabled(level)) return;
  static const std::string host = Hostname();
  std::string line = Rfc3339Now();
  line += ' ';
  line += host;
  line += ' ';
  {
    std::lock_guard<std::mutex> lock(g_mu);
    line += g_tag;
  }
  line += '[';
  line += std::to_string(getpid());
  line += "]: ";
  line += LevelName(level);
  line += ' ';
  line += message;
  line += '\n';
  std::string_view rest = line;
  while (!rest.empty()) {
    const ssize_t n = write(2, rest.data(), rest.size());
    if (n <= 0) break;
    rest.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace berth::log
