#include "confd/config.h"

#include <toml++/toml.h>
#include <cctype>
#include <cstdlib>
#include <map>

#include "confd/flags.h"
#include "sys/file.h"

namespace berth::confd {
namespace {

// Registers confd's flags, writing into `c`.  With `replace_lists`, the first
// -node / -file on the command line replaces what the config file set.
void RegisterFlags(FlagSet* fs, Config* c, bool replace_lists) {
  fs->String("auth-token", &c->auth_token, "Auth bearer token to use");
  fs->String("auth-type", &c->auth_type,
             "Vault auth backend type to use (only used with -backend=vault)");
  fs->String("app-id", &c->app_id,
             "Vault app-id to use with the app-id backend (only used with -backend=vault and "
             "auth-type=app-id)");
  fs->String("backend", &c->backend, "backend to use");
  fs->Bool("basic-auth", &c->basic_auth,
           "Use Basic Auth to authenticate (only used with -backend=consul and -backend=etcd)");
  fs->String("client-ca-keys", &c->client_cakeys, "client ca keys");
  fs->String("client-cert", &c->client_cert, "the client cert");
  fs->String("client-key", &c->client_key, "the client key");
  fs->Bool("client-insecure", &c->client_insecure,
           "Allow connections to SSL sites without certs (only used with -backend=etcd)");
  fs->String("confdir", &c->confdir, "confd conf directory");
  fs->String("config-file", &c->config_file, "the confd config file");
  auto list = [fs, replace_lists](std::string name, std::vector<std::string>* target,
                                  std::string usage) {
    if (!replace_lists) {
      fs->List(std::move(name), target, std::move(usage));
      return;
    }
    auto first = std::make_shared<bool>(true);
    fs->Custom(
        std::move(name), "value", "",
        [target, first](std::string_view v) {
          if (*first) target->clear();
          *first = false;
          target->emplace_back(v);
          return Status::Ok();
        },
        std::move(usage));
  };
  list("file", &c->files, "the YAML file to watch for changes (only used with -backend=file)");
  fs->String("filter", &c->filter, "files filter (only used with -backend=file)");
  fs->Int("interval", &c->interval, "backend polling interval");
  fs->Bool("keep-stage-file", &c->keep_stage_file, "keep staged files");
  fs->String("log-level", &c->log_level, "level which confd should log messages");
  list("node", &c->nodes, "list of backend nodes");
  fs->Bool("noop", &c->noop, "only show pending changes");
  fs->Bool("onetime", &c->onetime, "run once and exit");
  fs->String("password", &c->password,
             "the password to authenticate with (vault, etcd and redis backends; for redis confd "
             "uses -client-key)");
  fs->String("path", &c->path,
             "Vault mount path of the auth method (only used with -backend=vault)");
  fs->String("prefix", &c->prefix, "key path prefix");
  fs->String("role-id", &c->role_id,
             "Vault role-id to use with the AppRole, Kubernetes backends (only used with "
             "-backend=vault and either auth-type=app-role or auth-type=kubernetes)");
  fs->String("scheme", &c->scheme,
             "the backend URI scheme for nodes retrieved from DNS SRV records (http or https)");
  fs->String("secret-id", &c->secret_id,
             "Vault secret-id to use with the AppRole backend (only used with -backend=vault and "
             "auth-type=app-role)");
  fs->String("secret-keyring", &c->secret_keyring,
             "path to armored PGP secret keyring (for use with crypt functions)");
  fs->String("separator", &c->separator,
             "the separator to replace '/' with when looking up keys in the backend, prefixed '/' "
             "will also be removed (only used with -backend=redis)");
  fs->String("srv-domain", &c->srv_domain, "the name of the resource record");
  fs->String("srv-record", &c->srv_record,
             "the SRV record to search for backends nodes. Example: _etcd-client._tcp.example.com");
  fs->Bool("sync-only", &c->sync_only, "sync without check_cmd and reload_cmd");
  fs->String("table", &c->table,
             "the name of the DynamoDB table (only used with -backend=dynamodb)");
  fs->String("user-id", &c->user_id,
             "Vault user-id to use with the app-id backend (only used with -backend=value and "
             "auth-type=app-id)");
  fs->String("username", &c->username,
             "the username to authenticate as (only used with vault and etcd backends)");
  fs->Bool("version", &c->print_version, "print version and exit");
  fs->Bool("watch", &c->watch, "enable watch support");
  // berth's additions.
  fs->Custom(
      "wait", "MIN:MAX", "",
      [c](std::string_view v) {
        auto w = ParseWaitSpec(v);
        if (!w) return w.error();
        c->wait = *w;
        return Status::Ok();
      },
      "after a change, render once no change arrived for MIN, at the latest MAX after the first "
      "(berth; e.g. 50ms:500ms)");
  fs->Custom(
      "command-timeout", "duration", "60s",
      [c](std::string_view v) {
        auto d = ParseGoDuration(v);
        if (!d) return d.error();
        if (*d < 0) return Status::InvalidArgument("negative duration");
        c->command_timeout =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(*d));
        return Status::Ok();
      },
      "kill check_cmd / reload_cmd (and what they started) after this long; 0 for never (berth)");
  fs->String("metrics-addr", &c->metrics_addr,
             "serve Prometheus /metrics and /healthz on HOST:PORT (berth)");
}

std::string Where(const std::string& path, const toml::node& n) {
  const auto& b = n.source().begin;
  return path + ":" + std::to_string(b.line) + ":" + std::to_string(b.column);
}

// confd.toml: confd's keys (toml tags of its Config struct).
Status ApplyToml(const std::string& path, Config* c) {
  auto exists = sys::Stat(path);
  if (!exists) return exists.error();
  if (!exists->has_value()) return Status::Ok();  // no config file is fine
  auto text = sys::ReadFile(path);
  if (!text) return text.error();
  toml::table doc;
  try {
    doc = toml::parse(*text, path);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return Status::InvalidArgument(path + ":" + std::to_string(b.line) + ":" +
                                   std::to_string(b.column) + ": " + std::string(e.description()));
  }
  const std::map<std::string, std::string*> strings = {
      {"auth_token", &c->auth_token},
      {"auth_type", &c->auth_type},
      {"backend", &c->backend},
      {"client_cakeys", &c->client_cakeys},
      {"client_cert", &c->client_cert},
      {"client_key", &c->client_key},
      {"password", &c->password},
      {"scheme", &c->scheme},
      {"table", &c->table},
      {"separator", &c->separator},
      {"username", &c->username},
      {"app_id", &c->app_id},
      {"user_id", &c->user_id},
      {"role_id", &c->role_id},
      {"secret_id", &c->secret_id},
      {"secret_keyring", &c->secret_keyring},
      {"filter", &c->filter},
      {"path", &c->path},
      {"confdir", &c->confdir},
      {"prefix", &c->prefix},
      {"srv_domain", &c->srv_domain},
      {"srv_record", &c->srv_record},
      {"log-level", &c->log_level},
      {"metrics_addr", &c->metrics_addr},
  };
  const std::map<std::string, bool*> bools = {
      {"basic_auth", &c->basic_auth},
      {"client_insecure", &c->client_insecure},
      {"noop", &c->noop},
      {"sync-only", &c->sync_only},
      {"watch", &c->watch},
      {"keepstagefile", &c->keep_stage_file},
      {"onetime", &c->onetime},
  };
  const std::map<std::string, std::vector<std::string>*> lists = {{"nodes", &c->nodes},
                                                                  {"file", &c->files}};
  for (const auto& [key_node, n] : doc) {
    // BurntSushi/toml matches keys to confd's Config fields ignoring case
    // ("Backend", "OneTime", "KeepStageFile" all work in confd.toml).
    std::string key(key_node.str());
    for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (auto it = strings.find(key); it != strings.end()) {
      if (!n.is_string())
        return Status::InvalidArgument(Where(path, n) + ": " + key + " must be a string");
      *it->second = n.as_string()->get();
    } else if (auto it = bools.find(key); it != bools.end()) {
      if (!n.is_boolean()) {
        return Status::InvalidArgument(Where(path, n) + ": " + key + " must be true or false");
      }
      *it->second = n.as_boolean()->get();
    } else if (auto it = lists.find(key); it != lists.end()) {
      if (!n.is_array()) {
        return Status::InvalidArgument(Where(path, n) + ": " + key +
                                       " must be an array of strings");
      }
      it->second->clear();
      for (const auto& item : *n.as_array()) {
        if (!item.is_string()) {
          return Status::InvalidArgument(Where(path, item) + ": " + key +
                                         " must be an array of strings");
        }
        it->second->push_back(item.as_string()->get());
      }
    } else if (key == "wait" || key == "command_timeout") {
      if (!n.is_string()) {
        return Status::InvalidArgument(Where(path, n) + ": " + key + " must be a string");
      }
      const std::string text = n.as_string()->get();
      if (key == "wait") {
        auto w = ParseWaitSpec(text);
        if (!w) return Status::InvalidArgument(Where(path, n) + ": " + w.error().message());
        c->wait = *w;
      } else {
        auto d = ParseGoDuration(text);
        if (!d || *d < 0) {
          return Status::InvalidArgument(Where(path, n) + ": command_timeout: bad duration " +
                                         text);
        }
        c->command_timeout =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(*d));
      }
    } else if (key == "interval") {
      if (!n.is_integer())
        return Status::InvalidArgument(Where(path, n) + ": interval must be an integer");
      c->interval = n.as_integer()->get();
    }
    // Unknown keys are ignored, as confd ignores them.
  }
  return Status::Ok();
}

void ApplyEnv(Config* c) {
  auto from_env = [](const char* name, std::string* target) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0' && target->empty()) *target = v;
  };
  from_env("CONFD_CLIENT_CAKEYS", &c->client_cakeys);
  from_env("CONFD_CLIENT_CERT", &c->client_cert);
  from_env("CONFD_CLIENT_KEY", &c->client_key);
}

}  // namespace

Result<ParsedCommandLine> ParseConfig(const std::string& program,
                                      const std::vector<std::string>& args) {
  ParsedCommandLine out;
  // Pass 1: the command line alone (errors, -h, and where the config file is).
  Config cli;
  FlagSet first(program);
  RegisterFlags(&first, &cli, false);
  auto outcome = first.Parse(args);
  out.usage = first.Usage();
  if (!outcome) {
    out.flag_error = outcome.error().message();
    return out;
  }
  if (*outcome == FlagSet::Outcome::kHelp) {
    out.help = true;
    return out;
  }
  // Pass 2: defaults, then the config file and the environment, then the
  // command line again so that it wins.
  Config& c = out.config;
  c.config_file = cli.config_file;
  Status s = ApplyToml(c.config_file, &c);
  if (!s.ok()) return Err(s);
  ApplyEnv(&c);
  FlagSet second(program);
  RegisterFlags(&second, &c, true);
  auto again = second.Parse(args);
  if (!again) return Err(again.error());
  return out;
}

std::vector<std::string> DefaultNodes(const std::string& backend) {
  if (backend == "etcd" || backend == "etcdv3") {
    for (const char* var : {"ETCDCTL_ENDPOINTS", "ETCDCTL_PEERS"}) {
      const char* v = std::getenv(var);
      if (v == nullptr || *v == '\0') continue;
      std::vector<std::string> nodes;
      std::string_view s = v;
      while (!s.empty()) {
        const size_t comma = s.find(',');
        nodes.emplace_back(s.substr(0, comma));
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma + 1);
      }
      return nodes;
    }
    return {"http://127.0.0.1:2379"};
  }
  if (backend == "redis") return {"127.0.0.1:6379"};
  if (backend == "zookeeper") return {"127.0.0.1:2181"};
  if (backend == "consul") return {"127.0.0.1:8500"};
  if (backend == "vault") return {"http://127.0.0.1:8200"};
  return {};
}

}  // namespace berth::confd
