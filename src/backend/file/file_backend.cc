#include "backend/file/file_backend.h"
#include "backend/file/file_watch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "backend/file/yaml_flatten.h"
#include "base/gopath.h"

namespace berth::backend::file {
namespace {

namespace fs = std::filesystem;

Status FsError(const std::string& path, const std::error_code& ec) {
  std::string msg = path + ": " + ec.message();
  if (ec == std::errc::no_such_file_or_directory) return Status::NotFound(std::move(msg));
  return Status::IoError(std::move(msg));
}

Result<std::string> ReadWholeFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Err(FsError(path, std::error_code(errno, std::generic_category())));
  }
  // One buffer of the file's size, filled in place (usually by one read);
  // reading goes on past it in case the file grew meanwhile.
  std::string data;
  struct stat st = {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) data.resize(static_cast<size_t>(st.st_size));
  size_t used = 0;
  char more[1 << 12];
  for (;;) {
    const bool full = used == data.size();
    const ssize_t n =
        full ? ::read(fd, more, sizeof more) : ::read(fd, data.data() + used, data.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::error_code ec(errno, std::generic_category());
      ::close(fd);
      return Err(FsError(path, ec));
    }
    if (n == 0) break;
    if (full) data.append(more, static_cast<size_t>(n));
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  data.resize(used);  // the file shrank meanwhile
  return data;
}

// filepath.Walk below `dir` (a directory), as confd's lookup uses it: entries
// in lexical order, symlinks not followed into, unreadable directories
// skipped; a matching entry that resolves to a regular file is kept.
Status Walk(const std::string& dir, const std::string& filter, std::vector<std::string>* files) {
  std::error_code ec;
  std::vector<std::string> names;
  fs::directory_iterator it(dir, ec);
  if (ec) return Status::Ok();  // confd's walk function ignores the error
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return Status::Ok();
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string path = gopath::JoinClean(dir, name);
    const fs::file_status link = fs::symlink_status(path, ec);
    if (ec) return FsError(path, ec);
    Result<bool> matched = gopath::Match(filter, name);
    if (!matched.has_value()) return matched.error().Wrap("-filter " + filter);
    if (*matched) {
      const fs::file_status target = fs::status(path, ec);  // through symlinks
      if (ec) return FsError(path, ec);
      if (fs::is_regular_file(target)) files->push_back(path);
    }
    if (fs::is_directory(link)) BERTH_RETURN_IF_ERROR(Walk(path, filter, files));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> FileBackend::ListFiles() const {
  std::vector<std::string> files;
  for (const std::string& path : options_.paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec) return Err(FsError(path, ec));
    if (!fs::is_directory(st)) {
      files.push_back(path);  // named explicitly: read whatever the filter says
      continue;
    }
    // confd matches the filter against the directory itself first, so a
    // malformed filter fails here even for an empty directory.
    if (!gopath::IsValidPattern(options_.filter)) {
      return Err(Status::InvalidArgument("-filter " + options_.filter + ": " +
                                         std::string(gopath::kErrBadPattern)));
    }
    if (Status s = Walk(gopath::Clean(path), options_.filter, &files); !s.ok()) {
      return Err(std::move(s));
    }
  }
  return files;
}

Result<std::vector<kv::Entry>> FileBackend::ReadAll() const {
  Result<std::vector<std::string>> files = ListFiles();
  if (!files.has_value()) return Err(files.error());
  std::vector<kv::Entry> all;
  for (const std::string& path : *files) {
    Result<std::string> text = ReadWholeFile(path);
    if (!text.has_value()) return Err(text.error());
    Result<std::vector<kv::Entry>> entries = FlattenYaml(*text, path);
    if (!entries.has_value()) return Err(entries.error());
    if (all.empty()) {
      all = std::move(*entries);
    } else {
      all.insert(all.end(), std::make_move_iterator(entries->begin()),
                 std::make_move_iterator(entries->end()));
    }
  }
  kv::SortKeepLast(&all);  // across files, the later file wins
  return all;
}

Result<std::vector<kv::Entry>> FileBackend::GetValues(const std::vector<std::string>& prefixes) {
  Result<std::vector<kv::Entry>> all = ReadAll();
  if (!all.has_value()) return Err(all.error());
  auto wanted = [&prefixes](const kv::Entry& e) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&e](const std::string& p) { return e.key.starts_with(p); });
  };
  std::erase_if(*all, [&](const kv::Entry& e) { return !wanted(e); });
  return all;
}

Result<WatchPtr> FileBackend::WatchPrefix(const std::string& prefix, int64_t revision) {
  (void)prefix;  // the files hold every prefix
  (void)revision;
  return WatchFiles(options_.paths);
}

BackendPtr NewFileBackend(FileBackendOptions options) {
  return std::make_unique<FileBackend>(std::move(options));
}

}  // namespace berth::backend::file
