#include "backend/file/file_watch.h"

#include <dirent.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>

#include "base/gopath.h"

namespace berth::backend::file {
namespace {

constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |
                           IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;

Status Errno(std::string_view what, std::string_view path) {
  return Status::IoError(std::string(what) + " " + std::string(path) + ": " + strerror(errno));
}

class FileWatch : public Watch {
 public:
  FileWatch(int inotify, int wake) : inotify_(inotify), wake_(wake) {}
  ~FileWatch() override {
    close(inotify_);
    close(wake_);
  }

  // A file is watched through its directory, for events on its name.
  Status AddFile(const std::string& path) {
    const std::string dir = gopath::Dir(path);
    const int wd = inotify_add_watch(inotify_, dir.c_str(), kMask);
    if (wd < 0) return Errno("watch", dir);
    watches_[wd].names.emplace_back(gopath::Base(path));
    return Status::Ok();
  }

  // A directory is watched with every directory below it.
  Status AddTree(const std::string& dir) {
    const int wd = inotify_add_watch(inotify_, dir.c_str(), kMask);
    if (wd < 0) return Errno("watch", dir);
    watches_[wd].dir = dir;
    watches_[wd].whole = true;
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return Status::Ok();  // unreadable: the backend skips it too
    while (dirent* e = readdir(d)) {
      const std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      const std::string child = dir + "/" + std::string(name);
      struct stat st;
      if (lstat(child.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) (void)AddTree(child);
    }
    closedir(d);
    return Status::Ok();
  }

  Result<ChangeBatch> Next(std::chrono::milliseconds timeout) override {
    pollfd fds[2] = {{inotify_, POLLIN, 0}, {wake_, POLLIN, 0}};
    const int n = poll(fds, 2, static_cast<int>(timeout.count()));
    if (fds[1].revents & POLLIN) return Err(Status::Cancelled("watch closed"));
    if (n <= 0) return Err(Status::Timeout("no change"));
    bool relevant = false;
    // Drain everything pending: one batch per burst of events.
    alignas(inotify_event) char buf[16384];
    for (;;) {
      const ssize_t len = read(inotify_, buf, sizeof(buf));
      if (len <= 0) break;
      for (ssize_t off = 0; off < len;) {
        const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
        off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
        auto it = watches_.find(ev->wd);
        if (it == watches_.end()) continue;
        const Watched& w = it->second;
        if (ev->mask & IN_Q_OVERFLOW) relevant = true;
        if (w.whole) {
          relevant = true;
          if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) && ev->len > 0) {
            (void)AddTree(w.dir + "/" + ev->name);
          }
          continue;
        }
        if (ev->len == 0) {
          relevant = true;  // the directory itself went away
          continue;
        }
        for (const auto& name : w.names) relevant |= name == ev->name;
      }
    }
    if (!relevant) return Err(Status::Timeout("no change to the data files"));
    ChangeBatch batch;
    batch.resync = true;
    return batch;
  }

  void Close() override {
    const uint64_t one = 1;
    (void)!write(wake_, &one, sizeof(one));
  }

 private:
  struct Watched {
    std::string dir;                 // for a tree
    bool whole = false;              // any entry counts
    std::vector<std::string> names;  // otherwise: these file names only
  };
  const int inotify_;
  const int wake_;
  std::map<int, Watched> watches_;
};

}  // namespace

Result<WatchPtr> WatchFiles(const std::vector<std::string>& paths) {
  const int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (in < 0) return Err(Status::IoError(std::string("inotify: ") + strerror(errno)));
  const int wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake < 0) {
    close(in);
    return Err(Status::IoError(std::string("eventfd: ") + strerror(errno)));
  }
  auto watch = std::make_unique<FileWatch>(in, wake);
  for (const auto& p : paths) {
    struct stat st;
    const std::string path = gopath::Clean(p);
    Status s = (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) ? watch->AddTree(path)
                                                                     : watch->AddFile(path);
    if (!s.ok()) return Err(s);
  }
  return WatchPtr(std::move(watch));
}

}  // namespace berth::backend::file
