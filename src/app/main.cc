// berth: one program, several jobs.  main() picks the job from the first
// argument (or from the name it was invoked as: a link named `confd` runs
// `berth confd`) and hands over; each job wires its own parts.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "app/commands.h"
#include "base/gopath.h"

namespace {

constexpr std::string_view kUsage =
    "berth: self-discovering, self-scaling web services on Docker, etcd and HAProxy\n"
    "\n"
    "Usage: berth COMMAND [ARGS...]\n"
    "\n"
    "Commands:\n"
    "  confd      render configuration files from a key/value store (a drop-in confd;\n"
    "             also runs when berth is invoked through a link named confd)\n"
    "  agent      register this Docker host's containers in etcd, under a lease\n"
    "  launch     start instances and wait until they are registered\n"
    "  kill       deregister, drain, stop and remove instances\n"
    "  scale      launch or kill instances as HAProxy's load asks, between a\n"
    "             minimum and a maximum\n"
    "  up         start the whole system on this host: etcd, HAProxy, agent, confd\n"
    "             and instances, in the background\n"
    "  down       stop everything up started and remove its instances\n"
    "  status     the instances (etcd, HAProxy) and the processes of up\n"
    "  version    print the version\n"
    "\n"
    "Run `berth COMMAND -h` for a command's flags.\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const std::string_view self = berth::gopath::Base(argc > 0 ? argv[0] : "berth");
  if (self == "confd") return berth::app::ConfdMain("confd", args);
  if (args.empty()) {
    std::fputs(kUsage.data(), stderr);
    return 2;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "confd") return berth::app::ConfdMain("berth confd", args);
  if (command == "agent") return berth::app::AgentMain(args);
  if (command == "launch") return berth::app::LaunchMain(args);
  if (command == "kill") return berth::app::KillMain(args);
  if (command == "scale") return berth::app::ScaleMain(args);
  if (command == "up") return berth::app::UpMain(args);
  if (command == "down") return berth::app::DownMain(args);
  if (command == "status") return berth::app::StatusMain(args);
  if (command == "version" || command == "--version" || command == "-version") {
    std::printf("berth %s\n", berth::app::kVersion);
    return 0;
  }
  if (command == "help" || command == "-h" || command == "--help") {
    std::fputs(kUsage.data(), stdout);
    return 0;
  }
  std::fprintf(stderr, "berth: unknown command %s\n\n%s", command.c_str(), kUsage.data());
  return 2;
}
