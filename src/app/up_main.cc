// `berth up`: flags, then up::Up (src/up/up.h).  Ctrl-C (SIGINT, SIGTERM,
// SIGHUP) asks the run to stop what it started and fail.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "app/commands.h"
#include "app/etcd_flags.h"
#include "up/progress.h"
#include "up/up.h"

namespace berth::app {

namespace {

void OnSignal(int) { up::RequestInterrupt(); }

void InterruptOnSignals() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaction(s, &sa, nullptr);
}

}  // namespace

int UpMain(const std::vector<std::string>& args) {
  CLI::App app(
      "berth up: etcd, dockerd, HAProxy, the agent, confd and N instances on this host, in the "
      "background",
      "berth up");
  up::UpOptions o;
  up::Settings& s = o.settings;
  s.haproxy = "haproxy";
  std::string wait = "120s", autoscale;
  app.add_option("--state-dir", o.state_dir,
                 "state, logs, sockets (default /var/lib/berth as root, else "
                 "$XDG_STATE_HOME/berth or ~/.local/state/berth)");
  app.add_option("--port", s.port, "HAProxy's frontend port")->check(CLI::Range(1, 65535));
  app.add_option("--instances", s.instances, "instances to run")->check(CLI::Range(0, 1000));
  app.add_option("--etcd", s.etcd,
                 "etcd endpoint; when nothing answers there, berth up starts etcd there");
  app.add_option("--etcd-peer-port", o.etcd_peer_port,
                 "peer port of the etcd berth up starts (default: the client port + 1)")
      ->check(CLI::Range(1, 65535));
  app.add_option("--docker", s.docker,
                 "dockerd address: unix:///path or tcp://host:port (default $DOCKER_HOST, then "
                 "unix:///var/run/docker.sock)");
  app.add_option("--image", s.image, "image of the instances");
  app.add_option("--prefix", s.prefix, "etcd key prefix of the registrations");
  app.add_option("--service", s.service, "service name (the berth.service label)");
  app.add_option("--confdir", s.confdir,
                 "your own confd directory (conf.d/, templates/) instead of the one berth up "
                 "writes into the state directory");
  app.add_option("--haproxy", s.haproxy, "the haproxy binary");
  app.add_option("--wait-timeout", wait, "how long to wait for HAProxy to route to every instance");
  app.add_option("--autoscale", autoscale,
                 "MIN:MAX: run `berth scale`, keeping between MIN and MAX instances");
  app.add_option("--target", s.autoscale_target,
                 "with --autoscale: current sessions per instance to aim at (default 10)");
  std::vector<std::string> argv(args.rbegin(), args.rend());
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  auto timeout = ParseDurationFlag(wait);
  if (!timeout) {
    std::fprintf(stderr, "berth up: --wait-timeout: %s\n", timeout.error().message().c_str());
    return 2;
  }
  o.wait_timeout = *timeout;
  if (!autoscale.empty()) {
    int min = 0, max = 0;
    char rest = 0;
    if (std::sscanf(autoscale.c_str(), "%d:%d%c", &min, &max, &rest) != 2 || min < 1 || max < min) {
      std::fprintf(stderr, "berth up: --autoscale %s: want MIN:MAX with 1 <= MIN <= MAX\n",
                   autoscale.c_str());
      return 2;
    }
    if (!(s.autoscale_target > 0)) {
      std::fprintf(stderr, "berth up: --target must be above 0\n");
      return 2;
    }
    s.autoscale_min = min;
    s.autoscale_max = max;
    // The scaler keeps the count within the range; start at its low end.
    if (app.count("--instances") == 0) s.instances = min;
  }
  for (const char* flag : {"--port", "--instances", "--service", "--prefix", "--image", "--etcd"}) {
    if (app.count(flag) > 0) o.given.emplace_back(flag);
  }
  InterruptOnSignals();
  Status status = up::Up(o, stdout);
  if (!status.ok()) {
    std::fprintf(stderr, "berth up: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace berth::app
