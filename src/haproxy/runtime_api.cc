#include "haproxy/runtime_api.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "haproxy/reply_text.h"

namespace berth::haproxy {
namespace {

using Clock = std::chrono::steady_clock;

Status Io(std::string_view what, std::string_view where) {
  return Status::Unavailable(std::string(what) + " " + std::string(where) + ": " +
                             std::strerror(errno));
}

int MillisLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

// Closes a descriptor on every path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Connects `fd` (non-blocking) to `addr` before `deadline`.
Status ConnectBy(int fd, const sockaddr* addr, socklen_t len, const std::string& name,
                 Clock::time_point deadline) {
  if (connect(fd, addr, len) == 0) return Status::Ok();
  if (errno != EINPROGRESS && errno != EAGAIN) return Io("connect to the HAProxy socket", name);
  pollfd p{fd, POLLOUT, 0};
  const int r = poll(&p, 1, MillisLeft(deadline));
  if (r == 0) return Status::Timeout("connect to the HAProxy socket " + name + " timed out");
  int err = 0;
  socklen_t elen = sizeof(err);
  if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0) {
    return Io("connect to the HAProxy socket", name);
  }
  if (err != 0) {
    errno = err;
    return Io("connect to the HAProxy socket", name);
  }
  return Status::Ok();
}

// Connects to the socket; the descriptor or an error.
Result<int> Dial(const std::string& socket_name, Clock::time_point deadline) {
  std::string path = socket_name;
  if (path.starts_with("unix@")) path = path.substr(5);
  const bool tcp = path.starts_with("ipv4@") || path.starts_with("ipv6@") ||
                   (path.find('/') == std::string::npos && path.find(':') != std::string::npos);
  if (!tcp) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof(addr.sun_path)) {
      return Err(Status::InvalidArgument("bad HAProxy socket path \"" + path + "\""));
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return Err(Io("socket for", path));
    Status s = ConnectBy(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr), path, deadline);
    if (!s.ok()) {
      close(fd);
      return Err(s);
    }
    return fd;
  }
  if (path.starts_with("ipv4@") || path.starts_with("ipv6@")) path = path.substr(5);
  const size_t colon = path.rfind(':');
  std::string host = path.substr(0, colon), port = path.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || res == nullptr) {
    return Err(Status::InvalidArgument("cannot resolve HAProxy socket " + path));
  }
  const int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  Status s = fd < 0 ? Io("socket for", path)
                    : ConnectBy(fd, res->ai_addr, res->ai_addrlen, path, deadline);
  freeaddrinfo(res);
  if (!s.ok()) {
    if (fd >= 0) close(fd);
    return Err(s);
  }
  return fd;
}

bool ControlOrSeparator(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f || c == ';';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == '\n' || s.front() == ' ' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

using internal::Fields;
using internal::ToNumber;

// "backend/server" after validating both names.
Result<std::string> Target(std::string_view backend, std::string_view server) {
  BERTH_RETURN_IF_ERROR(ValidateName("backend", backend));
  BERTH_RETURN_IF_ERROR(ValidateName("server", server));
  return std::string(backend) + "/" + std::string(server);
}

}  // namespace

std::string_view AdminStateName(AdminState state) {
  switch (state) {
    case AdminState::kReady:
      return "ready";
    case AdminState::kDrain:
      return "drain";
    case AdminState::kMaint:
      return "maint";
  }
  return "ready";
}

Result<std::string> ExchangeOnSocket(const std::string& socket, std::string_view line,
                                     std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  auto fd_or = Dial(socket, deadline);
  if (!fd_or) return Err(fd_or.error());
  const Fd fd(*fd_or);
  std::string out(line);
  out += '\n';
  std::string_view rest = out;
  while (!rest.empty()) {
    const ssize_t n = send(fd.get(), rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n > 0) {
      rest.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd.get(), POLLOUT, 0};
      if (poll(&p, 1, MillisLeft(deadline)) <= 0) {
        return Err(Status::Timeout("HAProxy socket " + socket + " did not take the command"));
      }
      continue;
    }
    return Err(Io("write to the HAProxy socket", socket));
  }
  std::string reply;
  char buf[16384];
  for (;;) {
    pollfd p{fd.get(), POLLIN, 0};
    const int r = poll(&p, 1, MillisLeft(deadline));
    if (r == 0) {
      return Err(Status::Timeout("HAProxy did not answer \"" + std::string(line) + "\" on " +
                                 socket + " within " + std::to_string(timeout.count()) + " ms"));
    }
    if (r < 0) {
      if (errno == EINTR) continue;
      return Err(Io("poll the HAProxy socket", socket));
    }
    const ssize_t n = read(fd.get(), buf, sizeof(buf));
    if (n > 0) {
      reply.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) break;
    if (errno == EINTR || errno == EAGAIN) continue;
    return Err(Io("read from the HAProxy socket", socket));
  }
  return reply;
}

Status CheckReply(std::string_view command, std::string_view reply, ReplyKind kind) {
  const std::string_view text = Trim(reply);
  bool ok = false;
  switch (kind) {
    case ReplyKind::kEmpty:
      ok = text.empty();
      break;
    case ReplyKind::kServerAdded:
      ok = text == "New server registered.";
      break;
    case ReplyKind::kServerDeleted:
      ok = text == "Server deleted.";
      break;
    case ReplyKind::kAddressSet:
      // "IP changed from 'a' to 'b', port changed from '1' to '2' by 'stats
      // socket command'", "no need to change the addr, ..." and mixes of both.
      ok =
          (text.starts_with("IP changed from") || text.starts_with("no need to change the addr")) &&
          text.find('\n') == std::string_view::npos;
      break;
  }
  if (ok) return Status::Ok();
  std::string message = "HAProxy refused \"" + std::string(command) + "\": ";
  message += text.empty() ? "empty reply" : std::string(text.substr(0, 500));
  if (text.starts_with("No such server") || text.starts_with("No such backend") ||
      text.starts_with("No such proxy") || text.starts_with("Can't find backend")) {
    return Status::NotFound(std::move(message));
  }
  return Status::FailedPrecondition(std::move(message));
}

Result<std::vector<ServerState>> ParseServersState(std::string_view reply) {
  const auto lines = Lines(reply);
  size_t i = 0;
  while (i < lines.size() && Trim(lines[i]).empty()) ++i;
  if (i == lines.size() || Trim(lines[i]) != "1") {
    const std::string_view text = Trim(reply);
    if (!text.empty() && !(text[0] >= '0' && text[0] <= '9')) {
      return Err(
          Status::FailedPrecondition("show servers state: " + std::string(text.substr(0, 300))));
    }
    return Err(Status::Internal("show servers state: not format version 1: " +
                                std::string(text.substr(0, 100))));
  }
  ++i;
  if (i == lines.size() || !lines[i].starts_with("# ")) {
    return Err(Status::Internal("show servers state: no header line"));
  }
  const auto header = Fields(lines[i].substr(2));
  auto column = [&](std::string_view name) -> int {
    const auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  const int be_id = column("be_id"), be_name = column("be_name"), srv_id = column("srv_id"),
            srv_name = column("srv_name"), srv_addr = column("srv_addr"),
            op = column("srv_op_state"), admin = column("srv_admin_state"),
            uweight = column("srv_uweight"), iweight = column("srv_iweight"),
            port = column("srv_port"), check_result = column("srv_check_result"),
            check_state = column("srv_check_state");
  for (int c : {be_name, srv_name, srv_addr, op, admin, uweight, iweight, port}) {
    if (c < 0) return Err(Status::Internal("show servers state: a needed column is missing"));
  }
  std::vector<ServerState> out;
  for (++i; i < lines.size(); ++i) {
    if (Trim(lines[i]).empty() || lines[i].starts_with('#')) continue;
    const auto f = Fields(lines[i]);
    if (f.size() < header.size()) {
      return Err(
          Status::Internal("show servers state: short line \"" + std::string(lines[i]) + "\""));
    }
    ServerState s;
    s.backend = f[be_name];
    s.server = f[srv_name];
    s.address = f[srv_addr];
    int op_state = 0;
    bool ok = ToNumber(f[op], &op_state) && ToNumber(f[admin], &s.admin_state) &&
              ToNumber(f[uweight], &s.user_weight) && ToNumber(f[iweight], &s.initial_weight) &&
              ToNumber(f[port], &s.port) && op_state >= 0 && op_state <= 3;
    if (be_id >= 0) ok = ok && ToNumber(f[be_id], &s.backend_id);
    if (srv_id >= 0) ok = ok && ToNumber(f[srv_id], &s.server_id);
    if (check_result >= 0) ok = ok && ToNumber(f[check_result], &s.check_result);
    if (check_state >= 0) ok = ok && ToNumber(f[check_state], &s.check_state);
    if (!ok) {
      return Err(
          Status::Internal("show servers state: bad number in \"" + std::string(lines[i]) + "\""));
    }
    s.op_state = static_cast<ServerState::Op>(op_state);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<std::map<std::string, std::string>>> ParseShowStat(std::string_view reply) {
  std::vector<std::map<std::string, std::string>> rows;
  std::vector<std::string> header;
  for (std::string_view line : Lines(reply)) {
    if (line.empty()) continue;
    const bool is_header = line.starts_with("# ");
    std::vector<std::string> cells;
    size_t from = is_header ? 2 : 0;
    for (;;) {
      const size_t comma = line.find(',', from);
      cells.emplace_back(
          line.substr(from, comma == std::string_view::npos ? line.npos : comma - from));
      if (comma == std::string_view::npos) break;
      from = comma + 1;
    }
    if (is_header) {
      header = std::move(cells);
      continue;
    }
    if (header.empty()) break;
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < cells.size() && i < header.size(); ++i) {
      if (!header[i].empty()) row[header[i]] = std::move(cells[i]);
    }
    rows.push_back(std::move(row));
  }
  if (header.empty()) {
    return Err(Status::Internal("unexpected reply to show stat: " +
                                std::string(Trim(reply).substr(0, 200))));
  }
  return rows;
}

Result<std::vector<std::string>> ParseShowBackend(std::string_view reply) {
  const auto lines = Lines(reply);
  size_t i = 0;
  while (i < lines.size() && Trim(lines[i]).empty()) ++i;
  if (i == lines.size() || Trim(lines[i]) != "# name") {
    return Err(Status::Internal("unexpected reply to show backend: " +
                                std::string(Trim(reply).substr(0, 200))));
  }
  std::vector<std::string> names;
  for (++i; i < lines.size(); ++i) {
    const std::string_view name = Trim(lines[i]);
    if (!name.empty()) names.emplace_back(name);
  }
  return names;
}

RuntimeApi RuntimeApi::ThroughMaster(std::string master_socket, std::chrono::milliseconds timeout) {
  RuntimeApi api(std::move(master_socket), timeout);
  api.through_master_ = true;
  return api;
}

Result<std::string> RuntimeApi::Exchange(std::string_view line) const {
  if (!through_master_) return ExchangeOnSocket(socket_, line, timeout_);
  // "@1" is the current worker; "quit" ends the master CLI session, which
  // otherwise stays open after the reply.
  return ExchangeOnSocket(socket_, "@1 " + std::string(line) + "; quit", timeout_);
}

Result<std::string> RuntimeApi::Command(std::string_view command) const {
  if (std::any_of(command.begin(), command.end(), ControlOrSeparator)) {
    return Err(Status::InvalidArgument(
        "a Runtime API command cannot contain ';', a newline or another control character"));
  }
  if (Trim(command).empty()) return Err(Status::InvalidArgument("empty Runtime API command"));
  return Exchange(command);
}

Status RuntimeApi::Run(const std::string& command, ReplyKind kind) const {
  auto reply = Command(command);
  if (!reply) return reply.error();
  return CheckReply(command, *reply, kind);
}

Result<std::vector<std::map<std::string, std::string>>> RuntimeApi::ShowStat() const {
  auto reply = Command("show stat");
  if (!reply) return Err(reply.error());
  auto rows = ParseShowStat(*reply);
  if (!rows) return Err(rows.error().Wrap(socket_));
  return rows;
}

Result<std::vector<ServerState>> RuntimeApi::ShowServersState(std::string_view backend) const {
  std::string command = "show servers state";
  if (!backend.empty()) {
    BERTH_RETURN_IF_ERROR(ValidateName("backend", backend));
    command += " " + std::string(backend);
  }
  auto reply = Command(command);
  if (!reply) return Err(reply.error());
  auto states = ParseServersState(*reply);
  if (!states && states.error().code() == Code::kFailedPrecondition) {
    return Err(CheckReply(command, *reply, ReplyKind::kEmpty));
  }
  return states;
}

Result<std::vector<std::string>> RuntimeApi::ShowBackends() const {
  auto reply = Command("show backend");
  if (!reply) return Err(reply.error());
  return ParseShowBackend(*reply);
}

Result<int64_t> RuntimeApi::CurrentSessions(std::string_view backend,
                                            std::string_view server) const {
  auto rows = ShowStat();
  if (!rows) return Err(rows.error());
  for (const auto& row : *rows) {
    const auto px = row.find("pxname");
    const auto sv = row.find("svname");
    if (px == row.end() || sv == row.end() || px->second != backend || sv->second != server) {
      continue;
    }
    const auto scur = row.find("scur");
    int64_t n = 0;
    if (scur == row.end() || !ToNumber(std::string_view(scur->second), &n)) {
      return Err(Status::Internal("show stat: no scur for " + std::string(backend) + "/" +
                                  std::string(server)));
    }
    return n;
  }
  return Err(Status::NotFound("HAProxy has no server " + std::string(backend) + "/" +
                              std::string(server)));
}

Status RuntimeApi::AddServer(std::string_view backend, const DynamicServer& server) const {
  auto target = Target(backend, server.name);
  if (!target) return target.error();
  BERTH_RETURN_IF_ERROR(ValidateDynamicServer(server));
  std::string command = "add server " + *target + " " + server.address.ToString();
  for (const auto& o : server.options) {
    command += " " + o.keyword;
    if (!o.value.empty()) command += " " + o.value;
  }
  return Run(command, ReplyKind::kServerAdded);
}

Status RuntimeApi::DelServer(std::string_view backend, std::string_view server) const {
  auto target = Target(backend, server);
  if (!target) return target.error();
  return Run("del server " + *target, ReplyKind::kServerDeleted);
}

Status RuntimeApi::SetServerState(std::string_view backend, std::string_view server,
                                  AdminState state) const {
  auto target = Target(backend, server);
  if (!target) return target.error();
  return Run("set server " + *target + " state " + std::string(AdminStateName(state)),
             ReplyKind::kEmpty);
}

Status RuntimeApi::SetServerAddress(std::string_view backend, std::string_view server,
                                    const IpPort& address) const {
  auto target = Target(backend, server);
  if (!target) return target.error();
  if (!IsIpLiteral(address.ip)) {
    return Status::InvalidArgument("server address \"" + address.ip +
                                   "\" is not an IPv4 or IPv6 literal");
  }
  BERTH_RETURN_IF_ERROR(ValidatePort(address.port));
  return Run(
      "set server " + *target + " addr " + address.ip + " port " + std::to_string(address.port),
      ReplyKind::kAddressSet);
}

Status RuntimeApi::SetServerWeight(std::string_view backend, std::string_view server,
                                   int weight) const {
  auto target = Target(backend, server);
  if (!target) return target.error();
  if (weight < 0 || weight > 256) {
    return Status::InvalidArgument("weight " + std::to_string(weight) + " is outside 0-256");
  }
  return Run("set server " + *target + " weight " + std::to_string(weight), ReplyKind::kEmpty);
}

Status RuntimeApi::EnableHealth(std::string_view backend, std::string_view server) const {
  auto target = Target(backend, server);
  if (!target) return target.error();
  return Run("enable health " + *target, ReplyKind::kEmpty);
}

Status RuntimeApi::DisableHealth(std::string_view backend, std::string_view server) const {
  auto target = Target(backend, server);
  if (!target) return target.error();
  return Run("disable health " + *target, ReplyKind::kEmpty);
}

Status RuntimeApi::ShutdownSessions(std::string_view backend, std::string_view server) const {
  auto target = Target(backend, server);
  if (!target) return target.error();
  return Run("shutdown sessions server " + *target, ReplyKind::kEmpty);
}

}  // namespace berth::haproxy
