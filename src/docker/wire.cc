#include "docker/wire.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace berth::docker {

namespace {

using nlohmann::json;

// The member `key` of `obj`, or null when `obj` is no object, lacks it, or
// holds null there (dockerd writes null for empty lists and maps).
const json* Find(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

// Typed members; a member of another type throws json::type_error, which
// each entry point below turns into kInternal.
std::string String(const json& obj, std::string_view key) {
  const json* v = Find(obj, key);
  return v ? v->get<std::string>() : std::string();
}

bool Bool(const json& obj, std::string_view key) {
  const json* v = Find(obj, key);
  return v ? v->get<bool>() : false;
}

int64_t Int(const json& obj, std::string_view key) {
  const json* v = Find(obj, key);
  return v ? v->get<int64_t>() : 0;
}

std::map<std::string, std::string> StringMap(const json& obj, std::string_view key) {
  std::map<std::string, std::string> out;
  if (const json* v = Find(obj, key)) {
    for (const auto& [k, value] : v->items()) out[k] = value.get<std::string>();
  }
  return out;
}

std::vector<std::string> StringList(const json& obj, std::string_view key) {
  std::vector<std::string> out;
  if (const json* v = Find(obj, key)) {
    for (const auto& e : *v) out.push_back(e.get<std::string>());
  }
  return out;
}

std::string StripSlash(std::string name) {
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  return name;
}

bool ParsePort(std::string_view text, uint16_t* port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return false;
  }
  *port = static_cast<uint16_t>(value);
  return true;
}

Result<json> ParseDocument(std::string_view text, std::string_view what) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Err(Status::Internal(std::string(what) + ": dockerd sent malformed JSON"));
  }
  return doc;
}

Status TypeError(std::string_view what, const json::exception& e) {
  return Status::Internal(std::string(what) + ": unexpected document from dockerd: " + e.what());
}

// A host string (or where it came from) that berth cannot use.
Status BadHost(std::string_view host, std::string_view origin, std::string_view why) {
  return Status::InvalidArgument("invalid docker host \"" + std::string(host) + "\"" +
                                 std::string(origin) + ": " + std::string(why));
}

struct ApiVersion {
  int major = 0;
  int minor = 0;
};

bool ParseApiVersion(std::string_view text, ApiVersion* v) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) return false;
  const char* b = text.data();
  auto [e1, ec1] = std::from_chars(b, b + dot, v->major);
  auto [e2, ec2] = std::from_chars(b + dot + 1, b + text.size(), v->minor);
  return ec1 == std::errc() && e1 == b + dot && ec2 == std::errc() && e2 == b + text.size();
}

}  // namespace

std::string DaemonAddress::ToString() const {
  if (kind == Kind::kUnix) return "unix://" + socket_path;
  const bool v6 = host.find(':') != std::string::npos;
  return "tcp://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string DaemonAddress::BaseUrl() const {
  if (kind == Kind::kUnix) return "http://localhost";
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<DaemonAddress> ParseDaemonAddress(std::string_view host, std::string_view docker_host_env) {
  std::string origin;
  if (host.empty()) {
    host = docker_host_env;
    origin = " (from DOCKER_HOST)";
  }
  if (host.empty()) {
    host = kDefaultDockerHost;
    origin.clear();
  }
  DaemonAddress a;
  const size_t sep = host.find("://");
  if (sep == std::string_view::npos) {
    return Err(BadHost(host, origin, "want unix:///path/to/docker.sock or tcp://host:port"));
  }
  const std::string_view scheme = host.substr(0, sep);
  std::string_view rest = host.substr(sep + 3);
  if (scheme == "unix") {
    if (rest.empty()) return Err(BadHost(host, origin, "no socket path"));
    a.kind = DaemonAddress::Kind::kUnix;
    a.socket_path = std::string(rest);
    return a;
  }
  if (scheme != "tcp" && scheme != "http") {
    return Err(
        BadHost(host, origin, "berth reaches dockerd over unix:// or tcp:// (without TLS) only"));
  }
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
    if (rest.substr(slash) != "/") return Err(BadHost(host, origin, "a path is not supported"));
    rest = rest.substr(0, slash);
  }
  a.kind = DaemonAddress::Kind::kTcp;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return Err(BadHost(host, origin, "unclosed '['"));
    a.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Err(BadHost(host, origin, "junk after ']'"));
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(':') != colon) {
      return Err(BadHost(host, origin, "write an IPv6 address in brackets: tcp://[::1]:2375"));
    }
    a.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (a.host.empty()) a.host = "127.0.0.1";
  a.port = 2375;
  if (!port_text.empty() && !ParsePort(port_text, &a.port)) {
    return Err(BadHost(host, origin, "bad port \"" + std::string(port_text) + "\""));
  }
  return a;
}

bool ApiVersionLess(std::string_view a, std::string_view b) {
  ApiVersion va, vb;
  if (!ParseApiVersion(a, &va) || !ParseApiVersion(b, &vb)) return false;
  return std::pair(va.major, va.minor) < std::pair(vb.major, vb.minor);
}

Result<VersionInfo> NegotiateVersion(std::string_view version_json) {
  constexpr std::string_view kWhat = "GET /version";
  auto doc = ParseDocument(version_json, kWhat);
  if (!doc) return Err(doc.error());
  try {
    VersionInfo info;
    info.daemon_version = String(*doc, "Version");
    const std::string daemon_api = String(*doc, "ApiVersion");
    const std::string daemon_min = String(*doc, "MinAPIVersion");
    ApiVersion parsed;
    if (!ParseApiVersion(daemon_api, &parsed)) {
      return Err(
          Status::Internal(std::string(kWhat) + ": no usable ApiVersion (\"" + daemon_api + "\")"));
    }
    info.api_version = daemon_api;
    if (ApiVersionLess(kMaxApiVersion, info.api_version)) info.api_version = kMaxApiVersion;
    // A daemon that no longer speaks our newest version: the calls berth
    // makes are unchanged in the versions after it, so speak its oldest.
    if (!daemon_min.empty() && ApiVersionLess(info.api_version, daemon_min)) {
      info.api_version = daemon_min;
    }
    if (ApiVersionLess(info.api_version, kMinApiVersion)) {
      return Err(Status::FailedPrecondition(
          "dockerd " + info.daemon_version + " speaks Engine API " + daemon_api +
          "; berth needs API " + std::string(kMinApiVersion) + " or newer (Docker 1.12+)"));
    }
    return info;
  } catch (const json::exception& e) {
    return Err(TypeError(kWhat, e));
  }
}

Result<Container> ParseContainer(std::string_view text) {
  constexpr std::string_view kWhat = "container inspect";
  auto doc = ParseDocument(text, kWhat);
  if (!doc) return Err(doc.error());
  try {
    const json& d = *doc;
    if (!d.is_object()) return Err(Status::Internal(std::string(kWhat) + ": not an object"));
    Container c;
    c.id = String(d, "Id");
    c.name = StripSlash(String(d, "Name"));
    static const json kEmpty = json::object();
    const json* config = Find(d, "Config");
    const json& cfg = config ? *config : kEmpty;
    c.image = String(cfg, "Image");
    if (c.image.empty()) c.image = String(d, "Image");
    c.hostname = String(cfg, "Hostname");
    c.labels = StringMap(cfg, "Labels");
    c.env = StringList(cfg, "Env");
    if (const json* state = Find(d, "State")) {
      c.status = String(*state, "Status");
      c.running = Bool(*state, "Running");
      c.paused = Bool(*state, "Paused");
      c.exit_code = static_cast<int>(Int(*state, "ExitCode"));
      if (const json* health = Find(*state, "Health")) c.health = String(*health, "Status");
    }
    if (const json* net = Find(d, "NetworkSettings")) {
      if (const json* ports = Find(*net, "Ports")) {
        for (const auto& [container_port, bindings] : ports->items()) {
          if (bindings.is_null()) continue;  // exposed, not published
          for (const auto& b : bindings) {
            PortBinding p;
            p.container_port = container_port;
            p.host_ip = String(b, "HostIp");
            const std::string host_port = String(b, "HostPort");
            if (host_port.empty()) continue;
            if (!ParsePort(host_port, &p.host_port)) {
              return Err(Status::Internal(std::string(kWhat) + ": bad HostPort \"" + host_port +
                                          "\" for " + container_port));
            }
            c.ports.push_back(std::move(p));
          }
        }
      }
      c.ip_address = String(*net, "IPAddress");
      // Newer APIs leave the top-level address empty: take the default
      // bridge's, else the first network's.
      if (c.ip_address.empty()) {
        if (const json* networks = Find(*net, "Networks")) {
          if (const json* bridge = Find(*networks, "bridge")) {
            c.ip_address = String(*bridge, "IPAddress");
          }
          for (const auto& [name, n] : networks->items()) {
            if (!c.ip_address.empty()) break;
            c.ip_address = String(n, "IPAddress");
          }
        }
      }
    }
    if (c.id.empty()) return Err(Status::Internal(std::string(kWhat) + ": no Id"));
    return c;
  } catch (const json::exception& e) {
    return Err(TypeError(kWhat, e));
  }
}

Result<std::vector<ContainerSummary>> ParseContainerList(std::string_view text) {
  constexpr std::string_view kWhat = "container list";
  auto doc = ParseDocument(text, kWhat);
  if (!doc) return Err(doc.error());
  try {
    if (!doc->is_array()) return Err(Status::Internal(std::string(kWhat) + ": not an array"));
    std::vector<ContainerSummary> out;
    for (const json& e : *doc) {
      ContainerSummary s;
      s.id = String(e, "Id");
      std::vector<std::string> names = StringList(e, "Names");
      if (!names.empty()) s.name = StripSlash(names.front());
      s.image = String(e, "Image");
      s.state = String(e, "State");
      s.labels = StringMap(e, "Labels");
      if (const json* ports = Find(e, "Ports")) {
        for (const json& p : *ports) {
          const int64_t public_port = Int(p, "PublicPort");
          if (public_port <= 0 || public_port > 65535) continue;
          PortBinding b;
          b.container_port = std::to_string(Int(p, "PrivatePort")) + "/" + String(p, "Type");
          b.host_ip = String(p, "IP");
          b.host_port = static_cast<uint16_t>(public_port);
          s.ports.push_back(std::move(b));
        }
      }
      out.push_back(std::move(s));
    }
    return out;
  } catch (const json::exception& e) {
    return Err(TypeError(kWhat, e));
  }
}

Result<Event> ParseEvent(std::string_view text, bool* is_container) {
  constexpr std::string_view kWhat = "event";
  auto doc = ParseDocument(text, kWhat);
  if (!doc) return Err(doc.error());
  try {
    const json& d = *doc;
    if (!d.is_object()) return Err(Status::Internal(std::string(kWhat) + ": not an object"));
    Event ev;
    const std::string type = String(d, "Type");
    ev.action = String(d, "Action");
    if (ev.action.empty()) ev.action = String(d, "status");  // APIs before 1.22
    if (const json* actor = Find(d, "Actor")) {
      ev.id = String(*actor, "ID");
      ev.attributes = StringMap(*actor, "Attributes");
    }
    if (ev.id.empty()) ev.id = String(d, "id");
    if (auto it = ev.attributes.find("name"); it != ev.attributes.end()) ev.name = it->second;
    if (auto it = ev.attributes.find("image"); it != ev.attributes.end()) {
      ev.image = it->second;
    } else {
      ev.image = String(d, "from");
    }
    ev.time_nano = Int(d, "timeNano");
    if (ev.time_nano == 0) ev.time_nano = Int(d, "time") * 1'000'000'000;
    *is_container = type == "container" || (type.empty() && !ev.id.empty());
    return ev;
  } catch (const json::exception& e) {
    return Err(TypeError(kWhat, e));
  }
}

Result<std::string> ParseCreated(std::string_view text) {
  constexpr std::string_view kWhat = "container create";
  auto doc = ParseDocument(text, kWhat);
  if (!doc) return Err(doc.error());
  try {
    std::string id = String(*doc, "Id");
    if (id.empty()) return Err(Status::Internal(std::string(kWhat) + ": no Id in the answer"));
    return id;
  } catch (const json::exception& e) {
    return Err(TypeError(kWhat, e));
  }
}

std::string CreateBody(const CreateOptions& o) {
  json body = json::object();
  body["Image"] = o.image;
  if (!o.env.empty()) body["Env"] = o.env;
  if (!o.labels.empty()) body["Labels"] = o.labels;
  if (!o.cmd.empty()) body["Cmd"] = o.cmd;
  if (!o.exposed_ports.empty()) {
    json ports = json::object();
    for (const auto& p : o.exposed_ports) ports[p] = json::object();
    body["ExposedPorts"] = std::move(ports);
  }
  if (o.health_check) {
    const HealthCheck& h = *o.health_check;
    json hc = json::object();
    hc["Test"] = h.test;
    auto nanos = [](std::chrono::milliseconds d) -> int64_t {
      return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
    };
    if (h.interval.count() > 0) hc["Interval"] = nanos(h.interval);
    if (h.timeout.count() > 0) hc["Timeout"] = nanos(h.timeout);
    if (h.start_period.count() > 0) hc["StartPeriod"] = nanos(h.start_period);
    if (h.retries > 0) hc["Retries"] = h.retries;
    body["Healthcheck"] = std::move(hc);
  }
  json host_config = json::object();
  if (o.publish_all) host_config["PublishAllPorts"] = true;
  if (!o.binds.empty()) host_config["Binds"] = o.binds;
  body["HostConfig"] = std::move(host_config);
  return body.dump();
}

std::string LabelFilter(std::string_view label) {
  json f = json::object();
  f["label"] = json::array({std::string(label)});
  return f.dump();
}

std::string ContainerEventsFilter() { return R"({"type":["container"]})"; }

std::string ErrorMessage(long http_status, std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded() && doc.is_object()) {
    auto it = doc.find("message");
    if (it != doc.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      return it->get<std::string>();
    }
  }
  const auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!body.empty() && is_space(body.front())) body.remove_prefix(1);
  while (!body.empty() && is_space(body.back())) body.remove_suffix(1);
  if (body.empty()) return "HTTP " + std::to_string(http_status);
  constexpr size_t kMax = 512;
  if (body.size() > kMax) return std::string(body.substr(0, kMax)) + "...";
  return std::string(body);
}

}  // namespace berth::docker
