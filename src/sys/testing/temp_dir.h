// Test support: a scratch directory that removes itself, with helpers to
// lay out files, directories and links inside it.  For tests only; not
// thread-safe.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace berth::testing {

class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "berth-test-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) std::abort();
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // The absolute path of `rel` inside the directory.
  std::string Path(std::string_view rel) const { return path_ + "/" + std::string(rel); }

  // Writes `content` to `rel` (creating parent directories) with `mode`.
  std::string Write(std::string_view rel, std::string_view content, mode_t mode = 0644) const {
    const std::string p = Path(rel);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
    ::chmod(p.c_str(), mode);
    return p;
  }
  std::string MkDir(std::string_view rel) const {
    const std::string p = Path(rel);
    std::filesystem::create_directories(p);
    return p;
  }
  // Creates the link `rel` pointing at `target` (written as given).
  std::string Symlink(std::string_view target, std::string_view rel) const {
    const std::string p = Path(rel);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    if (::symlink(std::string(target).c_str(), p.c_str()) != 0) std::abort();
    return p;
  }
  bool Exists(std::string_view rel) const {
    struct stat st;
    return ::lstat(Path(rel).c_str(), &st) == 0;
  }
  // The names in `rel` (default: the top directory), sorted, dot files included.
  std::string List(std::string_view rel = "") const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(rel.empty() ? path_ : Path(rel))) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
    return out;
  }

 private:
  std::string path_;
};

}  // namespace berth::testing
