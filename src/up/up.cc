#include "up/up.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include "agent/agent.h"
#include "backend/etcd/client.h"
#include "confd/resource.h"
#include "docker/client.h"
#include "haproxy/master.h"
#include "haproxy/runtime_api.h"
#include "sys/net.h"
#include "up/confd_files.h"
#include "up/http.h"
#include "up/paths.h"
#include "up/process.h"
#include "up/progress.h"
#include "up/status_table.h"
#include "up/teardown.h"

namespace berth::up {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kSteps = 10;
constexpr char kDefaultImage[] = "berth/nginx";
constexpr char kBuildScript[] = "build-nginx-image.sh";

// An etcd endpoint taken apart: what up needs to probe it and, when
// nothing answers, to start etcd there.
struct Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // as written ("127.0.0.1", "localhost", "[::1]")
  std::string ip;      // the literal to probe and listen on; "" for a name
  int port = 0;
  std::string Url(int p) const { return scheme + "://" + host + ":" + std::to_string(p); }
};

Result<Endpoint> ParseEndpoint(const std::string& text) {
  Endpoint e;
  std::string_view rest = text;
  if (rest.starts_with("http://")) {
    e.scheme = "http";
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    e.scheme = "https";
    rest.remove_prefix(8);
  } else {
    e.scheme = "http";
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
    return Err(Status::InvalidArgument("--etcd " + text + ": want http://HOST:PORT"));
  }
  e.host = std::string(rest.substr(0, colon));
  const std::string port(rest.substr(colon + 1));
  if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
      std::stoi(port) < 1 || std::stoi(port) > 65535) {
    return Err(Status::InvalidArgument("--etcd " + text + ": bad port \"" + port + "\""));
  }
  e.port = std::stoi(port);
  std::string bare = e.host;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  in6_addr v6;
  in_addr v4;
  if (inet_pton(AF_INET, bare.c_str(), &v4) == 1 || inet_pton(AF_INET6, bare.c_str(), &v6) == 1) {
    e.ip = bare;
  } else if (bare == "localhost") {
    e.ip = "127.0.0.1";
  }
  return e;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Appends the end of `log` to a failure, so the user sees why at once.
Status WithLog(Status s, const std::string& log) {
  const std::string tail = FileTail(log, 1200);
  if (tail.empty()) return s;
  return Status(s.code(), s.message() + "\n--- end of " + log + " ---\n" + tail);
}

std::string FrontendUrl(const Settings& s) {
  return "http://" + s.host_ip + ":" + std::to_string(s.port) + "/";
}

// The image berth builds itself.
bool IsLocalNginx(const std::string& image) {
  return image == kDefaultImage || image == std::string(kDefaultImage) + ":latest";
}

class Starter {
 public:
  Starter(const UpOptions& options, std::FILE* out)
      : o_(options), out_(out), progress_(out, kSteps) {}

  Status Run() {
    const auto began = Clock::now();
    Status s = Steps();
    if (s.ok()) {
      if (!already_up_) PrintSummary(Clock::now() - began);
      return s;
    }
    const std::string where = progress_.Where();
    Rollback();
    std::string message = where + " failed: " + s.message();
    if (!step_log_.empty() && message.find("--- end of") == std::string::npos) {
      message += " (see " + step_log_ + ")";
    }
    return Status(s.code(), message);
  }

 private:
  Status Steps() {
    BERTH_RETURN_IF_ERROR(StepState());
    if (already_up_) return Status::Ok();
    BERTH_RETURN_IF_ERROR(StepEtcd());
    BERTH_RETURN_IF_ERROR(StepDocker());
    BERTH_RETURN_IF_ERROR(StepImage());
    BERTH_RETURN_IF_ERROR(StepConfig());
    BERTH_RETURN_IF_ERROR(StepHaproxy());
    BERTH_RETURN_IF_ERROR(StepAgent());
    BERTH_RETURN_IF_ERROR(StepConfd());
    BERTH_RETURN_IF_ERROR(StepLaunch());
    BERTH_RETURN_IF_ERROR(StepRouting());
    if (state_.settings.autoscale_max > 0) BERTH_RETURN_IF_ERROR(StepScale());
    state_.phase = UpState::Phase::kUp;
    return Save();
  }

  // ---- 1. the state directory ----
  Status StepState() {
    progress_.Begin("state");
    std::string dir = o_.state_dir;
    if (dir.empty()) {
      auto d = DefaultStateDir();
      if (!d) return d.error();
      dir = *d;
    }
    auto layout = MakeLayout(dir);
    if (!layout) return layout.error();
    layout_.emplace(std::move(*layout));
    BERTH_RETURN_IF_ERROR(CreateDirectories(*layout_));
    auto lock = StateLock::Acquire(*layout_);
    if (!lock) return lock.error();
    lock_.emplace(std::move(*lock));
    auto self = SelfPath();
    if (!self) return self.error();
    self_ = *self;

    auto loaded = LoadState(layout_->state_file);
    if (!loaded) return loaded.error();
    std::string restarting;
    if (loaded->has_value() && (*loaded)->phase != UpState::Phase::kDown) {
      state_ = std::move(**loaded);
      std::vector<std::string> dead;
      for (const auto& p : state_.processes) {
        if (!IsAlive(p)) dead.push_back(p.name + " (pid " + std::to_string(p.pid) + ")");
      }
      if (dead.empty() && state_.phase == UpState::Phase::kUp) {
        already_up_ = true;
        PrintAlreadyUp();
        return Status::Ok();
      }
      // Partly up: start what is missing, with the settings it runs with.
      NoteIgnoredFlags();
      restarting = dead.empty() ? " (an earlier berth up did not finish; completing it)"
                                : " (berth was partly up: " + JoinNames(dead) +
                                      " not running; starting what is missing)";
    } else {
      state_ = UpState{};
      state_.settings = o_.settings;
      state_.settings.host_ip = agent::DefaultHostIp();
    }
    state_ready_ = true;
    if (state_.settings.autoscale_max > 0) progress_.set_steps(kSteps + 1);
    state_.phase = UpState::Phase::kStarting;
    Settings& s = state_.settings;
    auto haproxy = FindProgram(s.haproxy);
    if (!haproxy) {
      return Status::NotFound(haproxy.error().message() +
                              " — install HAProxy (apt-get install "
                              "haproxy) or pass --haproxy PATH");
    }
    s.haproxy = *haproxy;
    if (!Alive("haproxy") &&
        sys::TcpAccepts("127.0.0.1", static_cast<uint16_t>(s.port), milliseconds(300))) {
      return Status::FailedPrecondition(
          "port " + std::to_string(s.port) +
          " already accepts connections (another HAProxy or web server?); pick another with "
          "--port, or run `berth down` if it is an earlier berth up");
    }
    BERTH_RETURN_IF_ERROR(Save());
    progress_.Done(layout_->dir + restarting);
    return Status::Ok();
  }

  // ---- 2. etcd ----
  Status StepEtcd() {
    progress_.Begin("etcd");
    const Settings& s = state_.settings;
    if (const ProcessRecord* r = Running("etcd")) {
      progress_.Done("running (pid " + std::to_string(r->pid) + "), kept, " + s.etcd);
      return Status::Ok();
    }
    auto endpoint = ParseEndpoint(s.etcd);
    if (!endpoint) return endpoint.error();
    auto reachable = EtcdAnswers(*endpoint);
    if (reachable.ok()) {
      state_.Remove("etcd");
      state_.etcd_started = false;
      progress_.Done("reachable at " + s.etcd + ", using it");
      return Save();
    }
    if (reachable.code() != Code::kUnavailable) return reachable;
    if (endpoint->scheme != "http" || endpoint->ip.empty()) {
      return Status::Unavailable("no etcd answers at " + s.etcd + " (" + reachable.message() +
                                 "), and berth up starts etcd only at http://IP:PORT");
    }
    auto etcd = FindProgram("etcd");
    if (!etcd) return Status::NotFound(etcd.error().message() + " — apt-get install etcd-server");
    const int peer_port = o_.etcd_peer_port > 0 ? o_.etcd_peer_port : endpoint->port + 1;
    if (sys::TcpAccepts(endpoint->ip, static_cast<uint16_t>(peer_port), milliseconds(300))) {
      return Status::FailedPrecondition("etcd's peer port " + std::to_string(peer_port) +
                                        " is taken; pass --etcd-peer-port");
    }
    const std::string client_url = endpoint->Url(endpoint->port);
    const std::string peer_url = endpoint->Url(peer_port);
    SpawnOptions spawn;
    spawn.argv = {*etcd, "--name=berth", "--data-dir=" + layout_->etcd_data_dir,
                  "--listen-client-urls=" + client_url, "--advertise-client-urls=" + client_url,
                  "--listen-peer-urls=" + peer_url, "--initial-advertise-peer-urls=" + peer_url,
                  "--initial-cluster=berth=" + peer_url, "--initial-cluster-state=new",
                  // One member: nobody to wait for, so elect it quickly.
                  "--heartbeat-interval=100", "--election-timeout=500", "--logger=zap",
                  "--log-outputs=stderr"};
    spawn.log_file = layout_->Log("etcd");
    BERTH_RETURN_IF_ERROR(StartBackground("etcd", spawn));
    state_.etcd_started = true;
    BERTH_RETURN_IF_ERROR(Save());
    // Until it accepts connections and has elected itself leader.
    const ProcessRecord rec = *state_.Find("etcd");
    const auto deadline = Clock::now() + seconds(30);
    Status last = Status::Timeout("etcd does not accept connections yet");
    for (;;) {
      BERTH_RETURN_IF_ERROR(CheckInterrupted());
      if (!IsAlive(rec)) return WithLog(Status::Unavailable("etcd exited at start"), rec.log);
      if (sys::TcpAccepts(endpoint->ip, static_cast<uint16_t>(endpoint->port), milliseconds(200))) {
        last = EtcdAnswers(*endpoint);
        if (last.ok()) break;
      }
      if (Clock::now() >= deadline) {
        return WithLog(Status::Timeout("etcd did not become ready within 30s: " + last.message()),
                       rec.log);
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    progress_.Done("started, " + client_url + " (data in " +
                   layout_->Short(layout_->etcd_data_dir) + "/, log " + layout_->Short(rec.log) +
                   ")");
    return Status::Ok();
  }

  // OK when an etcd member with a leader answers at the endpoint;
  // kUnavailable when nothing does.
  Status EtcdAnswers(const Endpoint& e) {
    if (!e.ip.empty() && !sys::TcpAccepts(e.ip, static_cast<uint16_t>(e.port), milliseconds(300))) {
      return Status::Unavailable("nothing listens on " + e.host + ":" + std::to_string(e.port));
    }
    // A fresh client each time: gRPC would otherwise back off after the
    // failures of a starting etcd.
    auto client = QuickEtcdClient(state_.settings.etcd);
    if (!client) return client.error();
    auto status = (*client)->GetStatus(state_.settings.etcd);
    if (!status) {
      return Status::FailedPrecondition(
          "something listens at " + state_.settings.etcd +
          " but does not answer as etcd: " + status.error().message());
    }
    if (status->leader == 0) return Status::FailedPrecondition("etcd has no leader yet");
    return Status::Ok();
  }

  // ---- 3. dockerd ----
  Status StepDocker() {
    progress_.Begin("docker");
    Settings& s = state_.settings;
    docker::ClientOptions dopts;
    dopts.host = s.docker;
    auto client = docker::Client::Connect(dopts);
    if (client) {
      docker_ = std::move(*client);
      s.docker = docker_->host();
      progress_.Done("dockerd " + docker_->daemon_version() + " answers at " + s.docker +
                     ", using it");
      return Save();
    }
    const Status why = client.error();
    if (!Running("dockerd")) {
      if (geteuid() != 0) {
        return Status::Unavailable(
            why.message() +
            "; berth up starts dockerd only as root: start it (systemctl start docker) or point "
            "--docker at one");
      }
      if (s.docker.starts_with("tcp://")) {
        return Status::Unavailable(why.message() + "; berth up starts only a local dockerd");
      }
      auto dockerd = FindProgram("dockerd");
      if (!dockerd) {
        return Status::NotFound(dockerd.error().message() + " — apt-get install docker.io");
      }
      SpawnOptions spawn;
      spawn.argv = {*dockerd};
      const std::string socket = s.docker.starts_with("unix://") ? s.docker.substr(7) : "";
      if (!socket.empty() && socket != "/var/run/docker.sock" && socket != "/run/docker.sock") {
        spawn.argv.push_back("--host=" + s.docker);
      }
      spawn.log_file = layout_->Log("dockerd");
      BERTH_RETURN_IF_ERROR(StartBackground("dockerd", spawn));
      state_.dockerd_started = true;
      BERTH_RETURN_IF_ERROR(Save());
    }
    const ProcessRecord rec = *state_.Find("dockerd");
    const auto deadline = Clock::now() + seconds(60);
    for (;;) {
      BERTH_RETURN_IF_ERROR(CheckInterrupted());
      if (!IsAlive(rec)) return WithLog(Status::Unavailable("dockerd exited at start"), rec.log);
      client = docker::Client::Connect(dopts);
      if (client) break;
      if (Clock::now() >= deadline) {
        return WithLog(
            Status::Timeout("dockerd did not answer within 60s: " + client.error().message()),
            rec.log);
      }
      std::this_thread::sleep_for(milliseconds(200));
    }
    docker_ = std::move(*client);
    s.docker = docker_->host();
    progress_.Done("started dockerd " + docker_->daemon_version() + " (pid " +
                   std::to_string(rec.pid) + ", log " + layout_->Short(rec.log) + ")");
    return Save();
  }

  // ---- 4. the image ----
  Status StepImage() {
    progress_.Begin("image");
    const std::string& image = state_.settings.image;
    auto exists = docker_->ImageExists(image);
    if (!exists) return exists.error();
    if (*exists) {
      progress_.Done(image + " is on this Docker host");
      return Status::Ok();
    }
    if (!IsLocalNginx(image)) {
      return Status::NotFound("image " + image +
                              " is not on this Docker host and no registry is reachable: build "
                              "or load it first");
    }
    auto script = FindBuildScript();
    if (!script) return script.error();
    SpawnOptions spawn;
    spawn.argv = {*script};
    spawn.env = {"DOCKER_HOST=" + state_.settings.docker};
    spawn.log_file = step_log_ = layout_->Log("image");
    auto code = RunToEnd(spawn, std::chrono::minutes(15));
    if (!code) return code.error();
    if (*code != 0) {
      return WithLog(
          Status::Internal(*script + " failed (exit status " + std::to_string(*code) + ")"),
          spawn.log_file);
    }
    exists = docker_->ImageExists(image);
    if (!exists) return exists.error();
    if (!*exists)
      return Status::Internal(*script + " succeeded but " + image + " is still missing");
    progress_.Done("built " + image + " with " + *script + " (log " +
                   layout_->Short(spawn.log_file) + ")");
    return Status::Ok();
  }

  // scripts/build-nginx-image.sh: $BERTH_SCRIPTS_DIR, else ../scripts
  // beside the directory of this executable (build/berth in a checkout).
  Result<std::string> FindBuildScript() {
    std::vector<std::string> tried;
    if (const char* dir = std::getenv("BERTH_SCRIPTS_DIR"); dir != nullptr && *dir != '\0') {
      tried.push_back(std::string(dir) + "/" + kBuildScript);
    }
    const std::filesystem::path exe_dir = std::filesystem::path(self_).parent_path();
    tried.push_back((exe_dir.parent_path() / "scripts" / kBuildScript).lexically_normal().string());
    for (const auto& path : tried) {
      if (access(path.c_str(), X_OK) == 0) return path;
    }
    std::string list;
    for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t;
    return Err(Status::NotFound(
        "image " + state_.settings.image + " is missing and " + kBuildScript +
        " was not found (looked for " + list +
        "): run berth from its source tree's build directory, set BERTH_SCRIPTS_DIR to the "
        "scripts/ directory, or build the image yourself"));
  }

  // ---- 5. the confd files and the first render ----
  Status StepConfig() {
    progress_.Begin("config");
    Settings& s = state_.settings;
    std::string written;
    if (s.confdir.empty() || s.confdir == layout_->confdir) {
      ConfdValues v;
      v.state_dir = layout_->dir;
      v.run_dir = layout_->run_dir;
      v.port = s.port;
      v.prefix = s.prefix;
      v.haproxy = s.haproxy;
      BERTH_RETURN_IF_ERROR(WriteConfdFiles(*layout_, v));
      s.confdir = layout_->confdir;
      written = "wrote " + layout_->Short(layout_->toml_file) + " and " +
                layout_->Short(layout_->template_file) + "; ";
    } else {
      std::error_code ec;
      s.confdir = std::filesystem::absolute(s.confdir, ec).lexically_normal().string();
      if (!std::filesystem::is_directory(s.confdir + "/conf.d", ec)) {
        return Status::NotFound("--confdir " + s.confdir + " has no conf.d/ directory");
      }
    }
    BERTH_RETURN_IF_ERROR(FindHaproxyFiles());
    BERTH_RETURN_IF_ERROR(Save());
    if (Alive("haproxy")) {
      progress_.Done(written + "HAProxy runs, confd keeps " +
                     layout_->Short(state_.haproxy_files.config) + " current");
      return Status::Ok();
    }
    // haproxy.cfg must exist before HAProxy starts; HAProxy is not there
    // yet to check or reload, hence -sync-only.
    SpawnOptions spawn;
    spawn.argv = {self_,      "confd",   "-onetime",     "-sync-only",
                  "-backend", "etcd",    "-node",        s.etcd,
                  "-confdir", s.confdir, "-config-file", s.confdir + "/confd.toml"};
    spawn.log_file = step_log_ = layout_->Log("confd");
    auto code = RunToEnd(spawn, seconds(60));
    if (!code) return code.error();
    if (*code != 0) {
      return WithLog(
          Status::Internal("the first render (berth confd -onetime) failed (exit status " +
                           std::to_string(*code) + ")"),
          spawn.log_file);
    }
    if (access(state_.haproxy_files.config.c_str(), R_OK) != 0) {
      return Status::NotFound("the first render did not write " + state_.haproxy_files.config);
    }
    step_log_.clear();
    progress_.Done(written + "rendered " + layout_->Short(state_.haproxy_files.config));
    return Status::Ok();
  }

  // HAProxy's files, from the confd resource that manages HAProxy.
  Status FindHaproxyFiles() {
    confd::LoadOptions load;
    load.confdir = state_.settings.confdir;
    auto resources = confd::LoadResources(load);
    if (!resources) return resources.error();
    for (const auto& r : *resources) {
      if (r.haproxy_master_socket.empty()) continue;
      HaproxyFiles f;
      f.config = r.dest;
      f.socket = r.haproxy_socket;
      f.master_socket = r.haproxy_master_socket;
      f.pid_file = layout_->haproxy_pid_file;
      for (const std::string* socket : {&f.socket, &f.master_socket}) {
        if (socket->size() > kMaxSocketPath) {
          return Status::InvalidArgument(r.toml_path + ": the socket path " + *socket + " is " +
                                         std::to_string(socket->size()) +
                                         " bytes; a unix socket path must be shorter than 108");
        }
      }
      if (f.master_socket.find_first_of(", ") != std::string::npos) {
        return Status::InvalidArgument(r.toml_path + ": haproxy_master_socket " + f.master_socket +
                                       " holds a comma or a space");
      }
      state_.haproxy_files = f;
      return Status::Ok();
    }
    return Status::NotFound(
        state_.settings.confdir +
        "/conf.d has no template resource with haproxy_master_socket: berth up runs HAProxy in "
        "master-worker mode and confd reloads it through that socket (see "
        "examples/up/haproxy.toml.in)");
  }

  // ---- 6. HAProxy ----
  Status StepHaproxy() {
    progress_.Begin("haproxy");
    const HaproxyFiles& f = state_.haproxy_files;
    if (const ProcessRecord* r = Running("haproxy")) {
      progress_.Done("running (master pid " + std::to_string(r->pid) + "), kept");
      return Status::Ok();
    }
    SpawnOptions spawn;
    spawn.argv = {state_.settings.haproxy,
                  "-W",
                  "-S",
                  f.master_socket + ",level,admin",
                  "-p",
                  f.pid_file,
                  "-f",
                  f.config};
    spawn.log_file = layout_->Log("haproxy");
    BERTH_RETURN_IF_ERROR(StartBackground("haproxy", spawn));
    const ProcessRecord rec = *state_.Find("haproxy");
    const haproxy::MasterCli cli(f.master_socket, milliseconds(1000));
    const auto deadline = Clock::now() + seconds(15);
    pid_t worker = 0;
    for (;;) {
      BERTH_RETURN_IF_ERROR(CheckInterrupted());
      if (!IsAlive(rec)) return WithLog(Status::Unavailable("HAProxy exited at start"), rec.log);
      auto procs = cli.ShowProc();
      if (procs && !procs->workers.empty() && cli.WorkerAnswers(procs->workers.front().pid)) {
        worker = procs->workers.front().pid;
        break;
      }
      if (Clock::now() >= deadline) {
        return WithLog(Status::Timeout("HAProxy's master CLI " + f.master_socket +
                                       " did not answer with a worker within 15s"),
                       rec.log);
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
    progress_.Done("started, master pid " + std::to_string(rec.pid) + ", worker pid " +
                   std::to_string(worker) + ", frontend *:" + std::to_string(state_.settings.port) +
                   " (log " + layout_->Short(rec.log) + ")");
    return Status::Ok();
  }

  // ---- 7. the agent ----
  Status StepAgent() {
    progress_.Begin("agent");
    if (const ProcessRecord* r = Running("agent")) {
      progress_.Done("running (pid " + std::to_string(r->pid) + "), kept");
      return Status::Ok();
    }
    const Settings& s = state_.settings;
    SpawnOptions spawn;
    // One agent per system: only this service's containers, so that two
    // systems on one Docker host never register each other's instances.
    spawn.argv = {self_,      "agent",  "--etcd",    s.etcd,    "--prefix",  s.prefix,
                  "--docker", s.docker, "--host-ip", s.host_ip, "--service", s.service};
    spawn.log_file = layout_->Log("agent");
    BERTH_RETURN_IF_ERROR(StartBackground("agent", spawn));
    const ProcessRecord* r = state_.Find("agent");
    progress_.Done("started (pid " + std::to_string(r->pid) + ", registers under " + s.prefix +
                   ", log " + layout_->Short(r->log) + ")");
    return Status::Ok();
  }

  // ---- 8. confd ----
  Status StepConfd() {
    progress_.Begin("confd");
    if (const ProcessRecord* r = Running("confd")) {
      progress_.Done("running (pid " + std::to_string(r->pid) + "), kept");
      return Status::Ok();
    }
    const Settings& s = state_.settings;
    auto port = sys::FreeLoopbackPorts(1);
    if (!port) return port.error();
    const std::string metrics = "127.0.0.1:" + std::to_string(port->front());
    SpawnOptions spawn;
    spawn.argv = {self_,
                  "confd",
                  "-watch",
                  "-backend",
                  "etcd",
                  "-node",
                  s.etcd,
                  "-confdir",
                  s.confdir,
                  "-config-file",
                  s.confdir + "/confd.toml",
                  "-metrics-addr",
                  metrics};
    spawn.log_file = layout_->Log("confd");
    BERTH_RETURN_IF_ERROR(StartBackground("confd", spawn));
    state_.confd_metrics = metrics;
    BERTH_RETURN_IF_ERROR(Save());
    // Ready once it has read the store completely (its /healthz).
    const ProcessRecord rec = *state_.Find("confd");
    const auto deadline = Clock::now() + seconds(30);
    for (;;) {
      BERTH_RETURN_IF_ERROR(CheckInterrupted());
      if (!IsAlive(rec)) return WithLog(Status::Unavailable("confd exited at start"), rec.log);
      auto health = HttpGet("http://" + metrics + "/healthz", milliseconds(500));
      if (health && health->status == 200) break;
      if (Clock::now() >= deadline) {
        return WithLog(Status::Timeout("confd did not report ready (GET http://" + metrics +
                                       "/healthz) within 30s"),
                       rec.log);
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    progress_.Done("started, watching " + s.prefix + " (pid " + std::to_string(rec.pid) +
                   ", metrics http://" + metrics + "/metrics, log " + layout_->Short(rec.log) +
                   ")");
    return Status::Ok();
  }

  // ---- 9. the instances ----
  Status StepLaunch() {
    progress_.Begin("launch");
    const Settings& s = state_.settings;
    auto running = ServiceContainers();
    if (!running) return running.error();
    const int missing = s.instances - static_cast<int>(running->size());
    if (missing <= 0) {
      progress_.Done(std::to_string(running->size()) + " instance(s) of " + s.service +
                     " running, none launched");
      return Status::Ok();
    }
    // Names <service>-<n>, the lowest numbers no container has.
    auto all = docker_->List(/*all=*/true);
    if (!all) return all.error();
    std::set<std::string> taken;
    for (const auto& c : *all) taken.insert(c.name);
    const std::vector<std::string> names = agent::FreeInstanceNames(taken, s.service, missing);
    // One `berth launch` per instance, side by side: each creates its
    // container and returns once the agent has registered it.
    const std::string log = step_log_ = layout_->Log("launch");
    std::vector<std::pair<std::string, ChildProcess>> launches;
    for (const auto& name : names) {
      SpawnOptions spawn;
      spawn.argv = {self_,      "launch", "--name",    name,    "--service", s.service,
                    "--prefix", s.prefix, "--image",   s.image, "--docker",  s.docker,
                    "--etcd",   s.etcd,   "--timeout", "60s"};
      spawn.log_file = log;
      auto child = ChildProcess::Start(spawn);
      if (!child) return child.error();
      state_.instances.push_back(name);
      launched_.push_back(name);
      launches.emplace_back(name, std::move(*child));
    }
    BERTH_RETURN_IF_ERROR(Save());
    const auto deadline = Clock::now() + std::max(o_.wait_timeout, milliseconds(70'000));
    std::vector<std::string> failed;
    for (auto& [name, child] : launches) {
      for (;;) {
        BERTH_RETURN_IF_ERROR(CheckInterrupted());
        if (auto code = child.Poll()) {
          if (*code != 0) failed.push_back(name + " (exit status " + std::to_string(*code) + ")");
          break;
        }
        if (const ProcessRecord* agent = state_.Find("agent"); agent && !IsAlive(*agent)) {
          step_log_ = agent->log;
          return WithLog(Status::Unavailable("the agent exited, so nothing registers instances"),
                         agent->log);
        }
        if (Clock::now() >= deadline) {
          return WithLog(Status::Timeout("berth launch --name " + name + " did not finish in time"),
                         log);
        }
        std::this_thread::sleep_for(milliseconds(20));
      }
    }
    if (!failed.empty()) {
      return WithLog(Status::Internal("berth launch failed for " + JoinNames(failed)), log);
    }
    step_log_.clear();
    progress_.Done("launched " + JoinNames(names) + " (" + s.image + "), registered under " +
                   s.prefix);
    return Status::Ok();
  }

  // The running containers of the service on this Docker host.
  Result<std::vector<docker::ContainerSummary>> ServiceContainers() {
    auto list = docker_->List(/*all=*/false, "berth.service=" + state_.settings.service);
    if (!list) return Err(list.error());
    std::sort(list->begin(), list->end(),
              [](const auto& a, const auto& b) { return NaturalLess(a.name, b.name); });
    return list;
  }

  // ---- 10. routing ----
  Status StepRouting() {
    progress_.Begin("routing");
    const Settings& s = state_.settings;
    auto containers = ServiceContainers();
    if (!containers) return containers.error();
    if (containers->empty()) {
      progress_.Done("no instance runs (--instances 0); the frontend answers 503 until one does");
      return Status::Ok();
    }
    // berth/nginx answers with its hostname: which instance served.
    std::set<std::string> hostnames;
    std::vector<std::string> names;
    for (const auto& c : *containers) {
      names.push_back(c.name);
      auto inspected = docker_->Inspect(c.id);
      if (inspected) hostnames.insert(inspected->hostname);
    }
    const HaproxyFiles& f = state_.haproxy_files;
    const haproxy::RuntimeApi api = !f.socket.empty()
                                        ? haproxy::RuntimeApi(f.socket, milliseconds(2000))
                                        : haproxy::RuntimeApi::ThroughMaster(f.master_socket);
    const std::string url = "http://127.0.0.1:" + std::to_string(s.port) + "/";
    const auto deadline = Clock::now() + o_.wait_timeout;
    std::set<std::string> seen;
    int answered = 0;
    std::string last = "HAProxy not asked yet";
    for (;;) {
      BERTH_RETURN_IF_ERROR(CheckInterrupted());
      for (const char* name : {"haproxy", "confd", "agent"}) {
        if (const ProcessRecord* r = state_.Find(name); r && !IsAlive(*r)) {
          step_log_ = r->log;
          return WithLog(Status::Unavailable(std::string(name) + " exited"), r->log);
        }
      }
      auto stat = api.ShowStat();
      std::vector<std::string> not_up;
      if (stat) {
        std::map<std::string, std::string> state_of;
        for (const auto& row : BuildRows({std::nullopt, std::nullopt, *stat, s.prefix})) {
          state_of[row.name] = row.haproxy;
        }
        for (const auto& n : names) {
          auto it = state_of.find(n);
          const std::string st = it == state_of.end() ? "absent" : it->second;
          if (st != "UP") not_up.push_back(n + " " + st);
        }
        last = not_up.empty() ? "" : "HAProxy shows " + JoinNames(not_up);
      } else {
        last = stat.error().message();
      }
      if (stat && not_up.empty()) {
        // Every instance is UP: ask the frontend until each has answered
        // (round robin over them, and over other servers the agent found).
        for (size_t i = 0; i < 2 * names.size() + 2; ++i) {
          auto answer = HttpGet(url, milliseconds(2000));
          if (!answer || answer->status != 200) {
            last = answer ? "GET " + url + " answered " + std::to_string(answer->status)
                          : answer.error().message();
            break;
          }
          ++answered;
          seen.insert(Trim(answer->body));
        }
        const bool each = std::all_of(hostnames.begin(), hostnames.end(),
                                      [&](const std::string& h) { return seen.contains(h); });
        // An image of the operator's that does not answer with its
        // hostname: enough 200s must do.
        const bool foreign = std::none_of(hostnames.begin(), hostnames.end(),
                                          [&](const std::string& h) { return seen.contains(h); });
        if (each || (foreign && answered >= static_cast<int>(3 * names.size()))) break;
      }
      if (Clock::now() >= deadline) {
        return Status::Timeout(
            "HAProxy did not route to all of " + JoinNames(names) + " within " +
            std::to_string(o_.wait_timeout.count() / 1000) +
            "s: " + (last.empty() ? "the frontend did not answer from each instance" : last) +
            " (see logs/confd.log, logs/agent.log, logs/haproxy.log)");
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    routed_ = names.size();
    progress_.Done("HAProxy routes to " + std::to_string(names.size()) + " instance(s), all UP; " +
                   url + " answered 200 from each");
    return Status::Ok();
  }

  // ---- 11. the scaler (--autoscale) ----
  Status StepScale() {
    progress_.Begin("scale");
    const Settings& s = state_.settings;
    const std::string range =
        std::to_string(s.autoscale_min) + "-" + std::to_string(s.autoscale_max) + " instances";
    if (const ProcessRecord* r = Running("scale")) {
      progress_.Done("running (pid " + std::to_string(r->pid) + "), kept, " + range);
      return Status::Ok();
    }
    if (state_.haproxy_files.socket.empty()) {
      return Status::FailedPrecondition(
          "berth scale reads the load from HAProxy's Runtime API, and the confd resource names "
          "no haproxy_socket");
    }
    char target[32];
    std::snprintf(target, sizeof(target), "%g", s.autoscale_target);
    const std::string state_file = layout_->scale_state_file;
    std::remove(state_file.c_str());  // a decision from an earlier run is not this one's
    SpawnOptions spawn;
    spawn.argv = {self_,
                  "scale",
                  "--etcd",
                  s.etcd,
                  "--docker",
                  s.docker,
                  "--haproxy-socket",
                  state_.haproxy_files.socket,
                  "--service",
                  s.service,
                  "--prefix",
                  s.prefix,
                  "--image",
                  s.image,
                  "--min",
                  std::to_string(s.autoscale_min),
                  "--max",
                  std::to_string(s.autoscale_max),
                  "--target",
                  target,
                  "--state-file",
                  state_file};
    spawn.log_file = layout_->Log("scale");
    BERTH_RETURN_IF_ERROR(StartBackground("scale", spawn));
    // Ready once it has made its first decision; its checks (the backend,
    // the image) make it exit at once when they fail.
    const ProcessRecord rec = *state_.Find("scale");
    const auto deadline = Clock::now() + seconds(30);
    for (;;) {
      BERTH_RETURN_IF_ERROR(CheckInterrupted());
      if (!IsAlive(rec)) {
        return WithLog(Status::Unavailable("berth scale exited at start"), rec.log);
      }
      if (access(state_file.c_str(), R_OK) == 0) break;
      if (Clock::now() >= deadline) {
        return WithLog(Status::Timeout("berth scale made no decision within 30s"), rec.log);
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    progress_.Done("started (pid " + std::to_string(rec.pid) + ", " + range + ", target " + target +
                   " sessions per instance, log " + layout_->Short(rec.log) + ")");
    return Status::Ok();
  }

  // ---- helpers ----

  // Starts a background process, records it at once (so that `berth down`
  // finds it even if this run is interrupted) and notes it for rollback.
  Status StartBackground(const std::string& name, const SpawnOptions& spawn) {
    step_log_ = spawn.log_file;
    auto r = SpawnDetached(name, spawn);
    if (!r) return r.error();
    state_.Put(std::move(*r));
    started_.push_back(name);
    return Save();
  }

  // Runs a command to its end (or the timeout, or an interruption).
  Result<int> RunToEnd(const SpawnOptions& spawn, std::chrono::milliseconds timeout) {
    auto child = ChildProcess::Start(spawn);
    if (!child) return Err(child.error());
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      if (auto code = child->Poll()) return *code;
      if (Interrupted()) return Err(Status::Cancelled("interrupted"));
      if (Clock::now() >= deadline) {
        return Err(WithLog(Status::Timeout(spawn.argv[0] + " did not finish within " +
                                           std::to_string(timeout.count() / 1000) + "s"),
                           spawn.log_file));
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
  }

  const ProcessRecord* Running(const std::string& name) const {
    const ProcessRecord* r = state_.Find(name);
    return r != nullptr && IsAlive(*r) ? r : nullptr;
  }
  bool Alive(const std::string& name) const { return Running(name) != nullptr; }

  Status Save() { return SaveState(layout_->state_file, &state_); }

  // Stops what this run started, newest first, and removes the instances
  // it launched.
  void Rollback() {
    if (!state_ready_) return;  // failed before knowing the system: nothing to undo
    std::vector<std::string> done;
    auto stop = [&](const std::string& name) {
      if (std::find(started_.begin(), started_.end(), name) == started_.end()) return;
      if (const ProcessRecord* r = state_.Find(name)) {
        auto what = StopRecorded(*r, seconds(10));
        done.push_back(name + " " + (what ? *what : what.error().message()));
      }
      state_.Remove(name);
    };
    stop("scale");
    stop("confd");
    stop("agent");
    if (!launched_.empty() && docker_ != nullptr) {
      auto etcd = QuickEtcdClient(state_.settings.etcd);
      auto removed = RemoveInstances(*docker_, etcd ? etcd->get() : nullptr,
                                     state_.settings.service, state_.settings.prefix, launched_);
      if (removed && !removed->removed.empty()) {
        done.push_back("removed " + JoinNames(removed->removed));
      }
      std::erase_if(state_.instances, [&](const std::string& n) {
        return std::find(launched_.begin(), launched_.end(), n) != launched_.end();
      });
    }
    stop("haproxy");
    if (std::find(started_.begin(), started_.end(), "haproxy") != started_.end()) {
      RemoveRunFiles(state_.haproxy_files);
    }
    stop("dockerd");
    stop("etcd");
    if (std::find(started_.begin(), started_.end(), "etcd") != started_.end()) {
      state_.etcd_started = false;
    }
    if (std::find(started_.begin(), started_.end(), "dockerd") != started_.end()) {
      state_.dockerd_started = false;
    }
    const bool any_alive = std::any_of(state_.processes.begin(), state_.processes.end(),
                                       [](const ProcessRecord& p) { return IsAlive(p); });
    if (!any_alive) {
      state_.phase = UpState::Phase::kDown;
      state_.processes.clear();
    }
    (void)Save();
    if (!done.empty()) progress_.Note("stopped what this run started: " + JoinNames(done));
  }

  // On a running system, the flags that ask for something else than it runs.
  void NoteIgnoredFlags() const {
    const Settings& want = o_.settings;
    const Settings& have = state_.settings;
    auto note = [&](const char* flag, const std::string& asked, const std::string& runs) {
      if (asked == runs) return;
      if (std::find(o_.given.begin(), o_.given.end(), flag) == o_.given.end()) return;
      std::fprintf(out_,
                   "note: %s %s ignored: the system in %s runs with %s; `berth down` first "
                   "to change it\n",
                   flag, asked.c_str(), layout_->dir.c_str(), runs.c_str());
    };
    note("--port", std::to_string(want.port), std::to_string(have.port));
    note("--instances", std::to_string(want.instances), std::to_string(have.instances));
    note("--service", want.service, have.service);
    note("--prefix", want.prefix, have.prefix);
    note("--image", want.image, have.image);
    note("--etcd", want.etcd, have.etcd);
  }

  // The commands worth trying next, with the flags this system needs.
  std::vector<std::string> NextCommands() const {
    const Settings& s = state_.settings;
    const std::string berth = BerthCommand();
    std::string state_flag;
    if (auto d = DefaultStateDir(); !d || *d != layout_->dir)
      state_flag = " --state-dir " + layout_->dir;
    std::string etcd_flags;
    if (s.etcd != "http://127.0.0.1:2379") etcd_flags += " --etcd " + s.etcd;
    if (s.prefix != "/app/servers") etcd_flags += " --prefix " + s.prefix;
    const std::string socket = !state_.haproxy_files.socket.empty()
                                   ? state_.haproxy_files.socket
                                   : state_.haproxy_files.master_socket;
    const std::string one = state_.instances.empty() ? s.service + "-1" : state_.instances.back();
    return {
        "curl " + FrontendUrl(s),
        berth + " status" + state_flag,
        berth + " launch --count 2 --service " + s.service + etcd_flags,
        berth + " kill " + one + etcd_flags + " --haproxy-socket " + socket,
        berth + " down" + state_flag,
    };
  }

  // "berth" when that is this executable on $PATH, else its path.
  std::string BerthCommand() const {
    auto on_path = FindProgram("berth");
    std::error_code ec;
    if (on_path && std::filesystem::equivalent(*on_path, self_, ec)) return "berth";
    return self_;
  }

  void PrintUrls() const {
    const Settings& s = state_.settings;
    const std::string base = "http://" + s.host_ip + ":" + std::to_string(s.port);
    std::fprintf(out_, "  frontend  %s/\n", base.c_str());
    std::fprintf(out_, "  stats     %s/haproxy_stats\n", base.c_str());
    std::fprintf(out_, "  admin     %s/admin-status (user admin, password 123456)\n", base.c_str());
    std::fprintf(out_, "  logs      %s/\n", layout_->logs_dir.c_str());
  }

  void PrintAlreadyUp() const {
    std::fprintf(out_, "berth is already up (state dir %s, frontend %s)\n", layout_->dir.c_str(),
                 FrontendUrl(state_.settings).c_str());
    NoteIgnoredFlags();
    PrintUrls();
    std::fprintf(out_, "Try next:\n");
    for (const auto& c : NextCommands()) std::fprintf(out_, "  %s\n", c.c_str());
    std::fflush(out_);
  }

  void PrintSummary(Clock::duration took) const {
    const double secs = std::chrono::duration_cast<std::chrono::duration<double>>(took).count();
    std::fprintf(out_, "\nberth is up in %.1fs: %zu instance(s) of %s behind HAProxy\n", secs,
                 routed_, state_.settings.service.c_str());
    PrintUrls();
    std::fprintf(out_, "Try next:\n");
    for (const auto& c : NextCommands()) std::fprintf(out_, "  %s\n", c.c_str());
    std::fflush(out_);
  }

  const UpOptions& o_;
  std::FILE* out_;
  Progress progress_;
  std::optional<StateLayout> layout_;
  std::optional<StateLock> lock_;
  std::string self_;
  UpState state_;
  bool already_up_ = false;
  bool state_ready_ = false;  // state_ holds the system's state (loaded or new)
  size_t routed_ = 0;         // instances HAProxy routes to (step 10)
  docker::ClientPtr docker_;
  std::vector<std::string> started_;   // background processes this run started
  std::vector<std::string> launched_;  // containers this run launched
  std::string step_log_;               // the log to read when the step fails
};

}  // namespace

Status Up(const UpOptions& options, std::FILE* out) { return Starter(options, out).Run(); }

}  // namespace berth::up
