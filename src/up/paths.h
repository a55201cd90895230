// Where `berth up` keeps its files: one state directory holding
//
//   up.json                  the state file (state_file.h)
//   up.lock                  held (flock) while up or down runs
//   scale.json               the last decision of `berth scale` (with
//                            berth up --autoscale)
//   confd/conf.d/haproxy.toml, confd/templates/haproxy.cfg.tmpl
//                            the confd files up writes (unless --confdir)
//   haproxy/haproxy.cfg      what confd renders and HAProxy runs
//   run/                     sockets and pid files: haproxy.sock (Runtime
//                            API), haproxy-master.sock (master CLI),
//                            haproxy.pid
//   logs/                    etcd.log, dockerd.log, haproxy.log, agent.log,
//                            confd.log, launch.log, image.log
//   etcd/                    etcd's data, when up starts etcd
//
// The default directory is /var/lib/berth for root, else
// $XDG_STATE_HOME/berth (or ~/.local/state/berth).  Plain values and
// functions; thread-safe.
#pragma once

#include <string>

#include "base/status.h"

namespace berth::up {

// Unix socket paths must fit sockaddr_un::sun_path (108 bytes with its NUL).
inline constexpr size_t kMaxSocketPath = 107;

struct StateLayout {
  // `dir` must be absolute (see MakeLayout).
  explicit StateLayout(std::string dir);

  std::string dir;
  std::string state_file;
  std::string lock_file;
  std::string confdir;  // the confd dir up writes (conf.d/, templates/)
  std::string toml_file;
  std::string template_file;
  std::string haproxy_dir;
  std::string haproxy_cfg;
  std::string run_dir;
  std::string runtime_socket;  // HAProxy's stats socket (Runtime API)
  std::string master_socket;   // HAProxy's master CLI
  std::string haproxy_pid_file;
  std::string logs_dir;
  std::string etcd_data_dir;
  std::string scale_state_file;  // scale.json

  // logs/<name>.log
  std::string Log(const std::string& name) const { return logs_dir + "/" + name + ".log"; }
  // `path` relative to the state directory when it lies inside it
  // ("logs/etcd.log"), else as is: for progress lines.
  std::string Short(const std::string& path) const;
};

// The default state directory for this user (see above).  kNotFound when
// neither XDG_STATE_HOME nor HOME is set for a user other than root.
Result<std::string> DefaultStateDir();

// The layout of `dir` made absolute.  kInvalidArgument when the path holds a
// character that cannot go into haproxy.cfg and shell commands unquoted
// (anything but letters, digits and / . _ - + ~), or when the longest
// socket path would not fit a unix socket address; the message names the
// path and its length.
Result<StateLayout> MakeLayout(const std::string& dir);

// An exclusive lock on <state>/up.lock, held while `berth up` or
// `berth down` runs, so that two of them never work on one state directory
// at once.  The descriptor is close-on-exec: no background process inherits
// the lock.  Released by the destructor.
class StateLock {
 public:
  // kFailedPrecondition when another up or down holds it.
  static Result<StateLock> Acquire(const StateLayout& layout);
  StateLock(StateLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  StateLock& operator=(StateLock&&) = delete;
  StateLock(const StateLock&) = delete;
  ~StateLock();

 private:
  explicit StateLock(int fd) : fd_(fd) {}
  int fd_;
};

// Creates the directories of the layout (as the umask says; run/ 0700).
Status CreateDirectories(const StateLayout& layout);

}  // namespace berth::up
