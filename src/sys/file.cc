#include "sys/file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/gopath.h"

namespace berth::sys {

Status ErrnoStatus(std::string_view op, std::string_view path, int err) {
  std::string msg = std::string(op) + " " + std::string(path) + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Status::NotFound(std::move(msg));
    case EACCES:
    case EPERM:
      return Status::FailedPrecondition(std::move(msg));
    default:
      return Status::IoError(std::move(msg));
  }
}

Result<std::string> ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Err(ErrnoStatus("open", path, errno));
  std::string out;
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      close(fd);
      return Err(ErrnoStatus("read", path, err));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

Result<bool> FileContentEquals(const std::string& path, std::string_view content) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Err(ErrnoStatus("open", path, errno));
  struct stat st;
  if (fstat(fd, &st) == 0 && static_cast<size_t>(st.st_size) != content.size()) {
    close(fd);
    return false;
  }
  char buf[65536];
  bool equal = true;
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      close(fd);
      return Err(ErrnoStatus("read", path, err));
    }
    if (n == 0) break;
    const auto len = static_cast<size_t>(n);
    if (len > content.size() || std::memcmp(buf, content.data(), len) != 0) {
      equal = false;
      break;
    }
    content.remove_prefix(len);
  }
  close(fd);
  return equal && content.empty();
}

namespace {
Result<std::optional<FileInfo>> StatWith(const std::string& path, bool follow) {
  struct stat st;
  const int rc = follow ? stat(path.c_str(), &st) : lstat(path.c_str(), &st);
  if (rc != 0) {
    if (errno == ENOENT) return std::optional<FileInfo>();
    return Err(ErrnoStatus(follow ? "stat" : "lstat", path, errno));
  }
  return FileInfo{st.st_mode & 07777, st.st_uid, st.st_gid, S_ISDIR(st.st_mode),
                  S_ISREG(st.st_mode)};
}

Status Walk(const std::string& path, bool is_dir, std::string_view pattern,
            std::vector<std::string>* out) {
  if (!is_dir) {
    auto m = gopath::Match(pattern, gopath::Base(path));
    if (!m) return m.error();
    if (*m) out->push_back(path);
    return Status::Ok();
  }
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return ErrnoStatus("open", path, errno);
  std::vector<std::string> names;
  while (dirent* e = readdir(dir)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    // filepath.Join, as Go's Walk builds the names ("conf.d/" + "a" is "conf.d/a").
    std::string child = gopath::Join({path, name});
    auto info = StatWith(child, /*follow=*/false);
    if (!info) return info.error();
    if (!info->has_value()) continue;  // vanished meanwhile
    BERTH_RETURN_IF_ERROR(Walk(child, (*info)->is_dir, pattern, out));
  }
  return Status::Ok();
}
}  // namespace

Result<std::optional<FileInfo>> Stat(const std::string& path) { return StatWith(path, true); }
Result<std::optional<FileInfo>> Lstat(const std::string& path) { return StatWith(path, false); }

Result<std::vector<std::string>> WalkFiles(const std::string& root, std::string_view pattern) {
  std::vector<std::string> out;
  // Unlike Go's Walk, a root that is a symbolic link to a directory is
  // followed (a linked conf.d is common; confd would silently find nothing).
  auto info = Stat(root);
  if (!info) return Err(info.error());
  if (!info->has_value()) return out;
  Status s = Walk(root, (*info)->is_dir, pattern, &out);
  if (!s.ok()) return Err(s);
  return out;
}

Result<StagedFile> StagedFile::Create(const std::string& dest) {
  const std::string dir = gopath::Dir(dest);
  std::string templ =
      (dir == "/" ? "/" : dir + "/") + "." + std::string(gopath::Base(dest)) + "XXXXXX";
  const int fd = mkostemp(templ.data(), O_CLOEXEC);
  if (fd < 0) return Err(ErrnoStatus("create stage file in", dir, errno));
  return StagedFile(std::move(templ), fd);
}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), keep_(other.keep_) {
  other.fd_ = -1;
  other.path_.clear();
}

StagedFile::~StagedFile() {
  if (fd_ >= 0) close(fd_);
  if (!path_.empty() && !keep_) unlink(path_.c_str());
}

Status StagedFile::WriteAndSync(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", path_, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  if (fsync(fd_) != 0) return ErrnoStatus("fsync", path_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0) return ErrnoStatus("close", path_, errno);
  return Status::Ok();
}

Status StagedFile::Chmod(mode_t mode) {
  if (chmod(path_.c_str(), mode) != 0) return ErrnoStatus("chmod", path_, errno);
  return Status::Ok();
}

Status StagedFile::Chown(uid_t uid, gid_t gid) {
  if (chown(path_.c_str(), uid, gid) != 0) return ErrnoStatus("chown", path_, errno);
  return Status::Ok();
}

Status StagedFile::Commit(const std::string& dest) {
  if (rename(path_.c_str(), dest.c_str()) != 0) {
    return ErrnoStatus("rename " + path_ + " to", dest, errno);
  }
  path_.clear();  // nothing left to clean up
  const std::string dir = gopath::Dir(dest);
  const int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return Status::Ok();
}

}  // namespace berth::sys
