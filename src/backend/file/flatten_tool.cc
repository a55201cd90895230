// berth_yaml_flatten FILE...: prints, per file, "== FILE" and then one
// "key"="value" line per flattened key (Go-quoted, sorted), or "ERROR: ..."
// The same format as a Go program running yaml.v2 + confd's walk, so the two
// can be diffed.  Each file is read with one read into a buffer of its size,
// and the output goes out in blocks as it is formatted.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "backend/file/yaml_flatten.h"
#include "base/gostrconv.h"

namespace {

std::optional<std::string> ReadFile(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string data;
  struct stat st = {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) data.resize(static_cast<size_t>(st.st_size));
  size_t used = 0;
  for (;;) {
    char more[1 << 12];
    const bool full = used == data.size();
    char* dst = full ? more : data.data() + used;
    const ssize_t n = ::read(fd, dst, full ? sizeof more : data.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    if (full) data.append(more, static_cast<size_t>(n));
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  data.resize(used);
  return data;
}

// strconv.Quote(s), without its per-rune work when every byte of s is
// printable ASCII other than '"' and '\\' (then it only adds the quotes).
void AppendQuoted(std::string* dst, std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
      berth::gostrconv::AppendQuote(dst, s);
      return;
    }
  }
  dst->push_back('"');
  dst->append(s);
  dst->push_back('"');
}

class Output {
 public:
  ~Output() { Flush(); }
  std::string* buffer() { return &buf_; }
  void MaybeFlush() {
    if (buf_.size() >= (1 << 16)) Flush();
  }
  void Flush() {
    std::fwrite(buf_.data(), 1, buf_.size(), stdout);
    buf_.clear();
  }

 private:
  std::string buf_;
};

}  // namespace

int main(int argc, char** argv) {
  Output out;
  std::string* buf = out.buffer();
  for (int i = 1; i < argc; ++i) {
    *buf += "== ";
    *buf += argv[i];
    *buf += "\n";
    std::optional<std::string> text = ReadFile(argv[i]);
    if (!text.has_value()) {
      *buf += "READERR\n";
      continue;
    }
    auto entries = berth::backend::file::FlattenYaml(*text, argv[i]);
    if (!entries.has_value()) {
      *buf += "ERROR: " + entries.error().message() + "\n";
      continue;
    }
    for (const auto& e : *entries) {
      AppendQuoted(buf, e.key);
      buf->push_back('=');
      AppendQuoted(buf, e.value);
      buf->push_back('\n');
      out.MaybeFlush();
    }
  }
  return 0;
}
