// Logging in confd's format, so that tools reading confd's logs keep working:
//
//   2026-11-25T12:00:00+01:00 host confd[1234]: INFO Target config /etc/x out of sync
//
// One process-wide logger writing to stderr; the tag is the program name
// ("confd" when berth runs as confd).  Thread-safe: a line is written with one
// write(2).
#pragma once

#include <string>
#include <string_view>

namespace berth::log {

enum class Level { kDebug, kInfo, kWarning, kError };

void SetTag(std::string tag);
// Sets the level from logrus' names (debug, info, warn, warning, error,
// fatal, panic; any case).  False when the name is not one of them.
bool SetLevel(std::string_view name);
void SetLevel(Level level);
bool Enabled(Level level);

void Write(Level level, std::string_view message);

inline void Debug(std::string_view m) { Write(Level::kDebug, m); }
inline void Info(std::string_view m) { Write(Level::kInfo, m); }
inline void Warning(std::string_view m) { Write(Level::kWarning, m); }
inline void Error(std::string_view m) { Write(Level::kError, m); }

}  // namespace berth::log
