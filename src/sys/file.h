// The seam to the file system: reading files, their owner and mode, walking
// directories in Go's filepath.Walk order, and StagedFile, which writes a new
// version of a file next to it and swaps it in atomically.
//
// errno becomes a Status here and nowhere else; every message names the path.
// Functions are thread-safe; a StagedFile belongs to one thread.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace berth::sys {

// "open /etc/x: No such file or directory" style status for an errno.
Status ErrnoStatus(std::string_view op, std::string_view path, int err);

// The whole content of a file.
Result<std::string> ReadFile(const std::string& path);
// Whether the file holds exactly `content` (read in chunks, not all at once).
Result<bool> FileContentEquals(const std::string& path, std::string_view content);

struct FileInfo {
  mode_t mode;  // permission and set-id/sticky bits (st_mode & 07777)
  uid_t uid;
  gid_t gid;
  bool is_dir;
  bool is_regular;
};
// stat(2); nullopt when the path does not exist (ENOENT).
Result<std::optional<FileInfo>> Stat(const std::string& path);
// lstat(2) flavour, for walking.
Result<std::optional<FileInfo>> Lstat(const std::string& path);

// Go's filepath.Walk(root) keeping the non-directories whose base name
// matches `pattern` (path.Match), in lexical order, descending into
// directories in place.  Symbolic links below the root are not followed; a
// root that links to a directory is.  A missing root yields no files.
Result<std::vector<std::string>> WalkFiles(const std::string& root, std::string_view pattern);

// A file being written in the directory of `dest` under a hidden name
// (".<base><random>"), as confd's stage files are.  It is removed when the
// StagedFile is destroyed unless it was committed (renamed onto dest) or
// kept.
class StagedFile {
 public:
  // Creates the stage file (mode 0600 until Chmod).  Fails when dest's
  // directory does not exist: confd never creates directories.
  static Result<StagedFile> Create(const std::string& dest);

  StagedFile(StagedFile&& other) noexcept;
  StagedFile& operator=(StagedFile&&) = delete;
  StagedFile(const StagedFile&) = delete;
  ~StagedFile();

  const std::string& path() const { return path_; }

  // Writes all of `data`, then fsyncs and closes the file.
  Status WriteAndSync(std::string_view data);
  Status Chmod(mode_t mode);
  Status Chown(uid_t uid, gid_t gid);
  // rename(2) onto `dest` and fsync the directory, so that `dest` is always
  // either the old or the new complete file, even across a crash.
  Status Commit(const std::string& dest);
  // Leaves the file in place when this object goes away.
  void Keep() { keep_ = true; }

 private:
  StagedFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_ = -1;
  bool keep_ = false;
};

}  // namespace berth::sys
