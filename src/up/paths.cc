#include "up/paths.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "sys/file.h"

namespace berth::up {

StateLayout::StateLayout(std::string d)
    : dir(std::move(d)),
      state_file(dir + "/up.json"),
      lock_file(dir + "/up.lock"),
      confdir(dir + "/confd"),
      toml_file(confdir + "/conf.d/haproxy.toml"),
      template_file(confdir + "/templates/haproxy.cfg.tmpl"),
      haproxy_dir(dir + "/haproxy"),
      haproxy_cfg(haproxy_dir + "/haproxy.cfg"),
      run_dir(dir + "/run"),
      runtime_socket(run_dir + "/haproxy.sock"),
      master_socket(run_dir + "/haproxy-master.sock"),
      haproxy_pid_file(run_dir + "/haproxy.pid"),
      logs_dir(dir + "/logs"),
      etcd_data_dir(dir + "/etcd"),
      scale_state_file(dir + "/scale.json") {}

std::string StateLayout::Short(const std::string& path) const {
  if (path.size() > dir.size() + 1 && path.starts_with(dir) && path[dir.size()] == '/') {
    return path.substr(dir.size() + 1);
  }
  return path;
}

Result<std::string> DefaultStateDir() {
  if (geteuid() == 0) return std::string("/var/lib/berth");
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg != nullptr && xdg[0] == '/') {
    return std::string(xdg) + "/berth";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    return std::string(home) + "/.local/state/berth";
  }
  return Err(Status::NotFound(
      "no state directory: neither XDG_STATE_HOME nor HOME is set; pass --state-dir"));
}

namespace {

bool PlainPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
         c == '.' || c == '_' || c == '-' || c == '+' || c == '~';
}

}  // namespace

Result<StateLayout> MakeLayout(const std::string& dir) {
  if (dir.empty()) return Err(Status::InvalidArgument("the state directory is an empty path"));
  std::error_code ec;
  std::string abs = std::filesystem::absolute(dir, ec).lexically_normal().string();
  if (ec) return Err(Status::InvalidArgument("state directory " + dir + ": " + ec.message()));
  while (abs.size() > 1 && abs.back() == '/') abs.pop_back();
  for (char c : abs) {
    if (!PlainPathChar(c)) {
      return Err(Status::InvalidArgument(
          "state directory " + abs + " contains '" + std::string(1, c) +
          "': berth writes this path into haproxy.cfg and shell commands, so it may hold only "
          "letters, digits and / . _ - + ~"));
    }
  }
  StateLayout layout(abs);
  for (const std::string* socket : {&layout.master_socket, &layout.runtime_socket}) {
    if (socket->size() > kMaxSocketPath) {
      return Err(Status::InvalidArgument(
          "state directory " + abs + " is too long: the socket " + *socket + " would be " +
          std::to_string(socket->size()) + " bytes, and a unix socket path must be shorter than " +
          std::to_string(kMaxSocketPath + 1) + " bytes; use a shorter --state-dir"));
    }
  }
  return layout;
}

Result<StateLock> StateLock::Acquire(const StateLayout& layout) {
  const int fd = open(layout.lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Err(sys::ErrnoStatus("open", layout.lock_file, errno));
  // An open file description lock: like flock(2), owned by the descriptor
  // (not the process), so forked children never hold it.
  struct flock whole {};
  whole.l_type = F_WRLCK;
  whole.l_whence = SEEK_SET;
  if (fcntl(fd, F_OFD_SETLK, &whole) != 0) {
    const int err = errno;
    close(fd);
    if (err == EAGAIN || err == EACCES) {
      return Err(Status::FailedPrecondition("another berth up or berth down is running on " +
                                            layout.dir + " (it holds " + layout.lock_file + ")"));
    }
    return Err(sys::ErrnoStatus("lock", layout.lock_file, err));
  }
  return StateLock(fd);
}

StateLock::~StateLock() {
  if (fd_ >= 0) close(fd_);
}

Status CreateDirectories(const StateLayout& layout) {
  for (const std::string& path :
       {layout.dir, layout.confdir + "/conf.d", layout.confdir + "/templates", layout.haproxy_dir,
        layout.run_dir, layout.logs_dir}) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::IoError("create directory " + path + ": " + ec.message());
  }
  // Only the owner reaches HAProxy's sockets (they are also mode 600).
  if (chmod(layout.run_dir.c_str(), 0700) != 0) {
    return sys::ErrnoStatus("chmod", layout.run_dir, errno);
  }
  return Status::Ok();
}

}  // namespace berth::up
