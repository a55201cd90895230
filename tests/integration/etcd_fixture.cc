#include "tests/integration/etcd_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sys/command.h"
#include "sys/net.h"
#include "tests/integration/server_process.h"

namespace berth::testing {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool Executable(const std::string& path) {
  return !path.empty() && access(path.c_str(), X_OK) == 0;
}

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

std::string TempBase() {
  std::string base = Env("BERTH_ETCD_TMPDIR");
  if (!base.empty()) return base;
  // tmpfs: etcd's fsyncs cost nothing, which keeps the suite fast.
  if (access("/dev/shm", W_OK) == 0) return "/dev/shm";
  base = Env("TMPDIR");
  return base.empty() ? "/tmp" : base;
}

Result<std::string> Run(const std::string& command, std::chrono::milliseconds timeout) {
  auto r = sys::RunShell(command, timeout);
  if (!r) return Err(r.error());
  if (!r->ok()) {
    return Err(Status::Internal("`" + command + "`: " + r->Describe() + ": " + r->output));
  }
  return r->output;
}

}  // namespace

std::string EtcdCluster::EtcdBinary() {
  std::string b = Env("BERTH_ETCD");
  return b.empty() ? "/usr/bin/etcd" : b;
}

std::string EtcdCluster::EtcdctlBinary() {
  std::string b = Env("BERTH_ETCDCTL");
  return b.empty() ? "/usr/bin/etcdctl" : b;
}

bool EtcdCluster::Available() { return Executable(EtcdBinary()) && Executable(EtcdctlBinary()); }

Result<std::unique_ptr<EtcdCluster>> EtcdCluster::Start(EtcdClusterOptions options) {
  if (!Available()) {
    return Err(
        Status::NotFound("etcd is not installed (" + EtcdBinary() + ", " + EtcdctlBinary() + ")"));
  }
  if (options.members < 1) return Err(Status::InvalidArgument("a cluster needs a member"));
  std::unique_ptr<EtcdCluster> c(new EtcdCluster(std::move(options)));
  std::string tmpl = TempBase() + "/berth-etcd-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    return Err(Status::IoError("mkdtemp " + tmpl + ": " + std::strerror(errno)));
  }
  c->dir_ = tmpl;
  c->cluster_token_ = std::filesystem::path(tmpl).filename().string();
  if (c->options_.tls) BERTH_RETURN_IF_ERROR(c->MakeCertificates());

  const int n = c->options_.members;
  Status last;
  // A port picked here can be taken by someone else before etcd binds it;
  // then start over on new ports.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto ports = sys::FreeLoopbackPorts(2 * n);
    if (!ports) return Err(ports.error());
    c->members_.clear();
    c->initial_cluster_.clear();
    for (int i = 0; i < n; ++i) {
      MemberProc m;
      m.name = "m" + std::to_string(i);
      m.client_port = (*ports)[2 * i];
      m.peer_port = (*ports)[2 * i + 1];
      m.data_dir = c->dir_ + "/" + m.name + ".etcd";
      m.log_file = c->dir_ + "/" + m.name + ".log";
      std::error_code ec;
      std::filesystem::remove_all(m.data_dir, ec);
      if (!c->initial_cluster_.empty()) c->initial_cluster_ += ",";
      c->initial_cluster_ += m.name + "=http://127.0.0.1:" + std::to_string(m.peer_port);
      c->members_.push_back(std::move(m));
    }
    last = Status::Ok();
    for (int i = 0; i < n && last.ok(); ++i) last = c->Launch(i);
    const auto deadline = SteadyClock::now() + c->options_.start_timeout;
    for (int i = 0; i < n && last.ok(); ++i) last = c->WaitHealthy(i, deadline);
    if (last.ok()) break;
    bool port_taken = false;
    for (int i = 0; i < n; ++i) {
      port_taken |= c->LogTail(i, 1 << 20).find("address already in use") != std::string::npos;
      (void)c->Stop(i, SIGKILL);
    }
    if (!port_taken) return Err(last);
  }
  if (!last.ok()) return Err(last);
  if (c->options_.auth) BERTH_RETURN_IF_ERROR(c->EnableAuth());
  return c;
}

EtcdCluster::~EtcdCluster() {
  for (int i = 0; i < size(); ++i) {
    if (members_[i].pid > 0) {
      kill(members_[i].pid, SIGKILL);
      waitpid(members_[i].pid, nullptr, 0);
      members_[i].pid = -1;
    }
  }
  if (!dir_.empty() && Env("BERTH_KEEP_ETCD_DIR").empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string EtcdCluster::endpoint(int member) const {
  return std::string(options_.tls ? "https" : "http") +
         "://127.0.0.1:" + std::to_string(members_[member].client_port);
}

std::vector<std::string> EtcdCluster::endpoints() const {
  std::vector<std::string> out;
  for (int i = 0; i < size(); ++i) out.push_back(endpoint(i));
  return out;
}

etcd::ClientOptions EtcdCluster::ClientOptions() const {
  etcd::ClientOptions o;
  o.endpoints = endpoints();
  if (options_.tls) {
    o.ca_file = tls_.ca;
    if (options_.client_cert_auth) {
      o.cert_file = tls_.client_cert;
      o.key_file = tls_.client_key;
    }
  }
  if (options_.auth) {
    o.username = "root";
    o.password = root_password_;
  }
  return o;
}

int EtcdCluster::MemberOf(std::string_view endpoint) const {
  for (int i = 0; i < size(); ++i) {
    const std::string port = ":" + std::to_string(members_[i].client_port);
    if (endpoint.ends_with(port) || endpoint.ends_with(port + "/")) return i;
  }
  return -1;
}

std::vector<std::string> EtcdCluster::MemberArgs(int member) const {
  const MemberProc& m = members_[member];
  const std::string scheme = options_.tls ? "https" : "http";
  const std::string client_url = scheme + "://127.0.0.1:" + std::to_string(m.client_port);
  const std::string peer_url = "http://127.0.0.1:" + std::to_string(m.peer_port);
  std::vector<std::string> args = {
      EtcdBinary(),
      "--name=" + m.name,
      "--data-dir=" + m.data_dir,
      "--listen-client-urls=" + client_url,
      "--advertise-client-urls=" + client_url,
      "--listen-peer-urls=" + peer_url,
      "--initial-advertise-peer-urls=" + peer_url,
      "--initial-cluster=" + initial_cluster_,
      "--initial-cluster-token=" + cluster_token_,
      "--initial-cluster-state=new",
      "--heartbeat-interval=50",
      "--election-timeout=500",
      "--logger=zap",
      "--log-outputs=stderr",
  };
  if (options_.tls) {
    args.push_back("--cert-file=" + tls_.server_cert);
    args.push_back("--key-file=" + tls_.server_key);
    args.push_back("--trusted-ca-file=" + tls_.ca);
    if (options_.client_cert_auth) args.push_back("--client-cert-auth");
  }
  if (options_.auth_token_ttl_seconds > 0) {
    args.push_back("--auth-token-ttl=" + std::to_string(options_.auth_token_ttl_seconds));
  }
  if (!options_.progress_notify_interval.empty()) {
    args.push_back("--experimental-watch-progress-notify-interval=" +
                   options_.progress_notify_interval);
  }
  for (const std::string& f : options_.extra_flags) args.push_back(f);
  return args;
}

Status EtcdCluster::Launch(int member) {
  MemberProc& m = members_[member];
  auto pid = SpawnServer(MemberArgs(member), m.log_file);
  if (!pid) return pid.error();
  m.pid = *pid;
  return Status::Ok();
}

Status EtcdCluster::WaitHealthy(int member, SteadyClock::time_point deadline) {
  MemberProc& m = members_[member];
  std::string last;
  for (;;) {
    int wstatus = 0;
    if (m.pid > 0 && waitpid(m.pid, &wstatus, WNOHANG) == m.pid) {
      m.pid = -1;
      return Status::Internal("etcd member " + m.name + " exited during start (status " +
                              std::to_string(wstatus) + "); log:\n" + LogTail(member));
    }
    auto r = Etcdctl(member, {"endpoint", "health", "--command-timeout=1s"});
    if (r) return Status::Ok();
    last = r.error().message();
    if (SteadyClock::now() >= deadline) {
      return Status::Timeout("etcd member " + m.name + " did not answer in time; last check: " +
                             last + "\nlog:\n" + LogTail(member));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Status EtcdCluster::Stop(int member, int signal) {
  MemberProc& m = members_[member];
  if (m.pid <= 0) return Status::Ok();
  kill(m.pid, signal);
  const auto kill_at = SteadyClock::now() + std::chrono::seconds(10);
  for (;;) {
    const pid_t r = waitpid(m.pid, nullptr, WNOHANG);
    if (r == m.pid || (r < 0 && errno == ECHILD)) break;
    if (SteadyClock::now() >= kill_at) {
      kill(m.pid, SIGKILL);
      waitpid(m.pid, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  m.pid = -1;
  return Status::Ok();
}

Status EtcdCluster::Pause(int member) {
  if (!running(member)) return Status::FailedPrecondition("etcd member is not running");
  if (kill(members_[member].pid, SIGSTOP) != 0) {
    return Status::IoError(std::string("kill SIGSTOP: ") + std::strerror(errno));
  }
  return Status::Ok();
}

Status EtcdCluster::Resume(int member) {
  if (!running(member)) return Status::FailedPrecondition("etcd member is not running");
  if (kill(members_[member].pid, SIGCONT) != 0) {
    return Status::IoError(std::string("kill SIGCONT: ") + std::strerror(errno));
  }
  return Status::Ok();
}

Status EtcdCluster::Restart(int member) {
  if (running(member)) {
    return Status::FailedPrecondition("etcd member " + members_[member].name + " is running");
  }
  BERTH_RETURN_IF_ERROR(Launch(member));
  return WaitHealthy(member, SteadyClock::now() + options_.start_timeout);
}

Result<int> EtcdCluster::WaitForLeader(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  std::string last;
  for (;;) {
    for (int i = 0; i < size(); ++i) {
      if (!running(i)) continue;
      // "https://127.0.0.1:P, 8e9e05c52164694d, 3.4.23, 20 kB, true, false, 2, 8, 8, "
      auto r = Etcdctl(i, {"endpoint", "status", "--command-timeout=1s"});
      if (!r) {
        last = r.error().message();
        continue;
      }
      std::vector<std::string> fields;
      std::stringstream ss(*r);
      std::string field;
      while (std::getline(ss, field, ',')) {
        size_t b = field.find_first_not_of(" \n");
        size_t e = field.find_last_not_of(" \n");
        fields.push_back(b == std::string::npos ? "" : field.substr(b, e - b + 1));
      }
      if (fields.size() > 4 && fields[4] == "true") return i;
      last = *r;
    }
    if (SteadyClock::now() >= deadline) {
      return Err(Status::Timeout("no etcd leader elected in time; last status: " + last));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Result<std::string> EtcdCluster::Etcdctl(int member, const std::vector<std::string>& args,
                                         bool as_root) const {
  std::string cmd = "ETCDCTL_API=3 " + ShellQuote(EtcdctlBinary()) +
                    " --endpoints=" + ShellQuote(endpoint(member)) + " --dial-timeout=2s";
  if (options_.tls) {
    cmd += " --cacert=" + ShellQuote(tls_.ca);
    if (options_.client_cert_auth) {
      cmd += " --cert=" + ShellQuote(tls_.client_cert) + " --key=" + ShellQuote(tls_.client_key);
    }
  }
  if (auth_enabled_ && as_root) cmd += " --user=" + ShellQuote("root:" + root_password_);
  for (const std::string& a : args) cmd += " " + ShellQuote(a);
  return Run(cmd, std::chrono::seconds(15));
}

std::string EtcdCluster::LogTail(int member, size_t bytes) const {
  std::ifstream in(members_[member].log_file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > bytes ? "..." + s.substr(s.size() - bytes) : s;
}

size_t EtcdCluster::CountInLog(int member, std::string_view needle) const {
  const std::string log = LogTail(member, std::string::npos);
  size_t count = 0;
  for (size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

Status EtcdCluster::MakeCertificates() {
  const std::string d = dir_ + "/tls";
  std::filesystem::create_directories(d);
  tls_.ca = d + "/ca.pem";
  tls_.server_cert = d + "/server.pem";
  tls_.server_key = d + "/server.key";
  tls_.client_cert = d + "/client.pem";
  tls_.client_key = d + "/client.key";
  {
    std::ofstream(d + "/server.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                        "keyUsage=critical,digitalSignature,keyEncipherment\n"
                                        "extendedKeyUsage=serverAuth,clientAuth\n";
    std::ofstream(d + "/client.ext") << "keyUsage=critical,digitalSignature,keyEncipherment\n"
                                        "extendedKeyUsage=clientAuth\n";
  }
  // EC P-256 keys: quick to generate, understood by etcd (Go) and gRPC.
  const std::string script =
      "set -e; cd " + ShellQuote(d) +
      "; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key"
      "; openssl req -x509 -new -key ca.key -subj /CN=berth-test-ca -days 2 -out ca.pem"
      "   -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign"
      "; for n in server client; do"
      "   openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $n.key;"
      "   openssl req -new -key $n.key -subj /CN=berth-test-$n -out $n.csr;"
      "   openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2"
      "     -extfile $n.ext -out $n.pem;"
      " done";
  auto r = Run(script, std::chrono::seconds(30));
  if (!r) return r.error().Wrap("generating test certificates");
  return Status::Ok();
}

Status EtcdCluster::EnableAuth() {
  auto r = Etcdctl(
      0, {"user", "add", "root", "--new-user-password=" + root_password_, "--interactive=false"},
      /*as_root=*/false);
  if (!r) return r.error().Wrap("etcdctl user add root");
  r = Etcdctl(0, {"auth", "enable"}, /*as_root=*/false);
  if (!r) return r.error().Wrap("etcdctl auth enable");
  auth_enabled_ = true;
  return Status::Ok();
}

void EtcdTest::SetUp() {
  if (EtcdCluster::Available()) return;
  const std::string why = "etcd is not installed (" + EtcdCluster::EtcdBinary() + ")";
  if (Env("CI") == "true") {
    FAIL() << why << "; CI=true requires it";
  }
  GTEST_SKIP() << why;
}

}  // namespace berth::testing
