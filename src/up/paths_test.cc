// MakeLayout (absolute, normalised, refuses unsafe characters and socket
// paths too long for sun_path), StateLayout::Short, DefaultStateDir,
// StateLock (one holder at a time, close-on-exec) and CreateDirectories.
#include "up/paths.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "sys/testing/temp_dir.h"

namespace berth::up {
namespace {

using berth::testing::TempDir;

// Sets an environment variable for one scope, restoring the old value.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(MakeLayoutTest, PathsOfTheLayout) {
  auto layout = MakeLayout("/var/lib/berth");
  ASSERT_TRUE(layout.has_value()) << layout.error().message();
  const StateLayout& l = *layout;
  EXPECT_EQ(l.dir, "/var/lib/berth");
  EXPECT_EQ(l.state_file, "/var/lib/berth/up.json");
  EXPECT_EQ(l.lock_file, "/var/lib/berth/up.lock");
  EXPECT_EQ(l.confdir, "/var/lib/berth/confd");
  EXPECT_EQ(l.toml_file, "/var/lib/berth/confd/conf.d/haproxy.toml");
  EXPECT_EQ(l.template_file, "/var/lib/berth/confd/templates/haproxy.cfg.tmpl");
  EXPECT_EQ(l.haproxy_dir, "/var/lib/berth/haproxy");
  EXPECT_EQ(l.haproxy_cfg, "/var/lib/berth/haproxy/haproxy.cfg");
  EXPECT_EQ(l.run_dir, "/var/lib/berth/run");
  EXPECT_EQ(l.runtime_socket, "/var/lib/berth/run/haproxy.sock");
  EXPECT_EQ(l.master_socket, "/var/lib/berth/run/haproxy-master.sock");
  EXPECT_EQ(l.haproxy_pid_file, "/var/lib/berth/run/haproxy.pid");
  EXPECT_EQ(l.logs_dir, "/var/lib/berth/logs");
  EXPECT_EQ(l.etcd_data_dir, "/var/lib/berth/etcd");
  EXPECT_EQ(l.Log("etcd"), "/var/lib/berth/logs/etcd.log");
}

TEST(MakeLayoutTest, MadeAbsoluteAndNormalised) {
  const std::string cwd = std::filesystem::current_path().string();
  struct Case {
    std::string given;
    std::string want;
  };
  const Case kCases[] = {
      {"/srv/berth/", "/srv/berth"},
      {"/srv//berth///", "/srv/berth"},
      {"/srv/./x/../berth", "/srv/berth"},
      {"state", cwd == "/" ? "/state" : cwd + "/state"},
      {"a/../b/", cwd == "/" ? "/b" : cwd + "/b"},
  };
  for (const Case& c : kCases) {
    auto layout = MakeLayout(c.given);
    ASSERT_TRUE(layout.has_value()) << c.given << ": " << layout.error().message();
    EXPECT_EQ(layout->dir, c.want) << c.given;
    EXPECT_EQ(layout->state_file, c.want + "/up.json") << c.given;
  }
}

TEST(MakeLayoutTest, AcceptsThePlainCharacters) {
  auto layout = MakeLayout("/tmp/Az09_.-+~/x");
  ASSERT_TRUE(layout.has_value()) << layout.error().message();
  EXPECT_EQ(layout->dir, "/tmp/Az09_.-+~/x");
}

TEST(MakeLayoutTest, RefusesCharactersThatNeedQuoting) {
  const std::string kUnsafe[] = {" ", "'", "\"", "$", ";",  "`",  "\\",      ",",
                                 ":", "#", "*",  "?", "&",  "|",  "<",       ">",
                                 "(", "=", "@",  "%", "\n", "\t", "\xc3\xa9"};
  for (const std::string& c : kUnsafe) {
    const std::string dir = "/tmp/a" + c + "b";
    auto layout = MakeLayout(dir);
    ASSERT_FALSE(layout.has_value()) << "accepted " << dir;
    EXPECT_EQ(layout.error().code(), Code::kInvalidArgument) << dir;
    // The message names the path and the character.
    EXPECT_NE(layout.error().message().find("/tmp/a"), std::string::npos)
        << layout.error().message();
    EXPECT_NE(layout.error().message().find("'" + c.substr(0, 1) + "'"), std::string::npos)
        << layout.error().message();
  }
}

TEST(MakeLayoutTest, RefusesAnEmptyPath) {
  auto layout = MakeLayout("");
  ASSERT_FALSE(layout.has_value());
  EXPECT_EQ(layout.error().code(), Code::kInvalidArgument);
}

TEST(MakeLayoutTest, SocketPathMustFitSunPath) {
  // The longest socket is <dir>/run/haproxy-master.sock, 24 bytes after dir.
  const size_t kSuffix = std::string("/run/haproxy-master.sock").size();
  const std::string longest_ok = "/" + std::string(kMaxSocketPath - kSuffix - 1, 'a');
  auto ok = MakeLayout(longest_ok);
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  EXPECT_EQ(ok->master_socket.size(), kMaxSocketPath);

  const std::string too_long = longest_ok + "b";
  auto refused = MakeLayout(too_long);
  ASSERT_FALSE(refused.has_value())
      << "accepted a socket path of " << too_long.size() + kSuffix << " bytes";
  EXPECT_EQ(refused.error().code(), Code::kInvalidArgument);
  const std::string& m = refused.error().message();
  EXPECT_NE(m.find(too_long + "/run/haproxy-master.sock"), std::string::npos) << m;
  EXPECT_NE(m.find(std::to_string(kMaxSocketPath + 1)), std::string::npos) << m;
  EXPECT_NE(m.find("--state-dir"), std::string::npos) << m;
}

TEST(StateLayoutTest, ShortIsRelativeOnlyInsideTheDirectory) {
  const StateLayout l("/srv/berth");
  EXPECT_EQ(l.Short("/srv/berth/logs/etcd.log"), "logs/etcd.log");
  EXPECT_EQ(l.Short("/srv/berth/up.json"), "up.json");
  EXPECT_EQ(l.Short("/srv/berth"), "/srv/berth");
  EXPECT_EQ(l.Short("/srv/berth/"), "/srv/berth/");
  EXPECT_EQ(l.Short("/srv/berthx/up.json"), "/srv/berthx/up.json");
  EXPECT_EQ(l.Short("/elsewhere/up.json"), "/elsewhere/up.json");
}

TEST(DefaultStateDirTest, RootUsesVarLib) {
  if (geteuid() != 0) GTEST_SKIP() << "not root";
  ScopedEnv xdg("XDG_STATE_HOME", "/xdg");
  auto dir = DefaultStateDir();
  ASSERT_TRUE(dir.has_value()) << dir.error().message();
  EXPECT_EQ(*dir, "/var/lib/berth");
}

TEST(DefaultStateDirTest, UserUsesXdgThenHome) {
  if (geteuid() == 0) GTEST_SKIP() << "root always gets /var/lib/berth";
  {
    ScopedEnv xdg("XDG_STATE_HOME", "/xdg");
    ScopedEnv home("HOME", "/home/u");
    EXPECT_EQ(DefaultStateDir().value_or(""), "/xdg/berth");
  }
  {
    ScopedEnv xdg("XDG_STATE_HOME", "relative");  // not absolute: ignored
    ScopedEnv home("HOME", "/home/u");
    EXPECT_EQ(DefaultStateDir().value_or(""), "/home/u/.local/state/berth");
  }
  {
    ScopedEnv xdg("XDG_STATE_HOME", nullptr);
    ScopedEnv home("HOME", nullptr);
    auto dir = DefaultStateDir();
    ASSERT_FALSE(dir.has_value());
    EXPECT_EQ(dir.error().code(), Code::kNotFound);
  }
}

TEST(StateLockTest, OneHolderAtATime) {
  TempDir tmp;
  const StateLayout layout(tmp.path());
  {
    auto first = StateLock::Acquire(layout);
    ASSERT_TRUE(first.has_value()) << first.error().message();
    auto second = StateLock::Acquire(layout);
    ASSERT_FALSE(second.has_value()) << "two holders of " << layout.lock_file;
    EXPECT_EQ(second.error().code(), Code::kFailedPrecondition);
    EXPECT_NE(second.error().message().find(layout.lock_file), std::string::npos)
        << second.error().message();

    // Moving the lock keeps it held; the moved-from one releases nothing.
    std::optional<StateLock> moved(std::move(*first));
    EXPECT_FALSE(StateLock::Acquire(layout).has_value());
    moved.reset();
    auto third = StateLock::Acquire(layout);
    EXPECT_TRUE(third.has_value()) << "the lock outlived its holder";
  }
  // Released by the destructor.
  EXPECT_TRUE(StateLock::Acquire(layout).has_value());
}

TEST(StateLockTest, DescriptorIsCloseOnExec) {
  TempDir tmp;
  const StateLayout layout(tmp.path());
  auto lock = StateLock::Acquire(layout);
  ASSERT_TRUE(lock.has_value()) << lock.error().message();
  int found = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(e.path(), ec);
    if (ec || target.string() != layout.lock_file) continue;
    ++found;
    const int fd = std::stoi(e.path().filename().string());
    const int flags = fcntl(fd, F_GETFD);
    EXPECT_NE(flags & FD_CLOEXEC, 0) << "fd " << fd << " on " << layout.lock_file;
  }
  EXPECT_EQ(found, 1);
}

TEST(StateLockTest, FailsInAMissingDirectory) {
  const StateLayout layout("/nonexistent-berth-dir/x");
  auto lock = StateLock::Acquire(layout);
  ASSERT_FALSE(lock.has_value());
  EXPECT_NE(lock.error().message().find(layout.lock_file), std::string::npos)
      << lock.error().message();
}

TEST(CreateDirectoriesTest, CreatesEveryDirectoryRunPrivate) {
  TempDir tmp;
  const StateLayout layout(tmp.Path("state"));
  ASSERT_TRUE(CreateDirectories(layout).ok());
  for (const std::string& d :
       {layout.dir, layout.confdir + "/conf.d", layout.confdir + "/templates", layout.haproxy_dir,
        layout.run_dir, layout.logs_dir}) {
    EXPECT_TRUE(std::filesystem::is_directory(d)) << d;
  }
  struct stat st;
  ASSERT_EQ(stat(layout.run_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  // Again: fine, and run/ made private again.
  ASSERT_EQ(chmod(layout.run_dir.c_str(), 0755), 0);
  ASSERT_TRUE(CreateDirectories(layout).ok());
  ASSERT_EQ(stat(layout.run_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
}

TEST(CreateDirectoriesTest, FailsWhereAFileIsInTheWay) {
  TempDir tmp;
  tmp.Write("state", "a file");
  Status s = CreateDirectories(StateLayout(tmp.Path("state")));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(tmp.Path("state")), std::string::npos) << s.message();
}

}  // namespace
}  // namespace berth::up
