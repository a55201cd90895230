#include "confd/resource.h"

#include <sys/stat.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <cctype>

#include "base/gopath.h"
#include "base/gostrconv.h"
#include "confd/flags.h"
#include "sys/file.h"

namespace berth::confd {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Where(const std::string& path, const toml::source_region& src) {
  if (src.begin.line == 0) return path;
  return path + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column);
}

std::string_view TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::array:
      return "array";
    case toml::node_type::table:
      return "table";
    default:
      return "date/time";
  }
}

Status WrongType(const std::string& path, const toml::node& n, std::string_view key,
                 std::string_view want) {
  return Status::InvalidArgument(Where(path, n.source()) + ": template." + std::string(key) +
                                 " must be " + std::string(want) + ", not " +
                                 std::string(TypeName(n)));
}

Status ReadString(const std::string& path, const toml::node& n, std::string_view key,
                  std::string* out) {
  if (!n.is_string()) return WrongType(path, n, key, "a string");
  *out = n.as_string()->get();
  return Status::Ok();
}

}  // namespace

std::vector<std::string> TemplateResource::PrefixedKeys() const {
  std::vector<std::string> out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back(gopath::Join({prefix, k}));
  return out;
}

std::string TemplateResource::StoreKey(std::string_view backend_key) const {
  if (backend_key.starts_with(prefix)) backend_key.remove_prefix(prefix.size());
  return gopath::Join({"/", backend_key});
}

Result<mode_t> ParseMode(std::string_view mode) {
  auto v = gostrconv::ParseUint(mode, 0, 32);
  if (!v.ok()) {
    return Err(Status::InvalidArgument("strconv.ParseUint: parsing " + gostrconv::Quote(mode) +
                                       ": " + std::string(gostrconv::NumErrorText(v.error))));
  }
  // os.FileMode(v) handed to os.Chmod keeps the permission bits and Go's own
  // setuid/setgid/sticky flags (bits 23, 22 and 20), not the octal 07000.
  mode_t m = static_cast<mode_t>(v.value & 0777);
  if (v.value & (uint64_t{1} << 23)) m |= S_ISUID;
  if (v.value & (uint64_t{1} << 22)) m |= S_ISGID;
  if (v.value & (uint64_t{1} << 20)) m |= S_ISVTX;
  return m;
}

Result<TemplateResource> LoadResource(const std::string& toml_path, const LoadOptions& options) {
  auto text = sys::ReadFile(toml_path);
  if (!text) return Err(text.error());
  return ParseResource(*text, toml_path, options);
}

Result<TemplateResource> ParseResource(std::string_view text, const std::string& toml_path,
                                       const LoadOptions& options) {
  toml::table doc;
  try {
    doc = toml::parse(text, toml_path);
  } catch (const toml::parse_error& e) {
    return Err(Status::InvalidArgument(Where(toml_path, e.source()) + ": " +
                                       std::string(e.description())));
  }

  TemplateResource r;
  r.toml_path = toml_path;
  int64_t uid = -1, gid = -1;
  std::string src;
  // BurntSushi/toml matches struct fields case-insensitively.
  const toml::table* tpl = nullptr;
  for (const auto& [key, node] : doc) {
    if (Lower(key.str()) != "template") continue;
    if (!node.is_table()) return Err(WrongType(toml_path, node, "", "a table"));
    tpl = node.as_table();
  }
  if (tpl != nullptr) {
    for (const auto& [key_node, n] : *tpl) {
      const std::string key = Lower(key_node.str());
      Status s;
      if (key == "src") {
        s = ReadString(toml_path, n, key, &src);
      } else if (key == "dest") {
        s = ReadString(toml_path, n, key, &r.dest);
      } else if (key == "prefix") {
        s = ReadString(toml_path, n, key, &r.prefix);
      } else if (key == "mode") {
        s = ReadString(toml_path, n, key, &r.mode);
      } else if (key == "check_cmd") {
        s = ReadString(toml_path, n, key, &r.check_cmd);
      } else if (key == "reload_cmd") {
        s = ReadString(toml_path, n, key, &r.reload_cmd);
      } else if (key == "haproxy_socket") {
        s = ReadString(toml_path, n, key, &r.haproxy_socket);
      } else if (key == "haproxy_master_socket") {
        s = ReadString(toml_path, n, key, &r.haproxy_master_socket);
      } else if (key == "haproxy_drain_timeout") {
        std::string text;
        s = ReadString(toml_path, n, key, &text);
        if (s.ok()) {
          auto d = ParseGoDuration(text);
          if (d && *d >= 0) {
            r.haproxy_drain_timeout =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(*d));
          } else {
            s = Status::InvalidArgument(Where(toml_path, n.source()) +
                                        ": haproxy_drain_timeout: invalid duration \"" + text +
                                        "\" (want e.g. \"10s\" or \"500ms\")");
          }
        }
      } else if (key == "wait") {
        std::string text;
        s = ReadString(toml_path, n, key, &text);
        if (s.ok()) {
          auto w = ParseWaitSpec(text);
          if (w) {
            r.wait = *w;
          } else {
            s = Status::InvalidArgument(Where(toml_path, n.source()) + ": " + w.error().message());
          }
        }
      } else if (key == "uid" || key == "gid") {
        if (!n.is_integer()) {
          s = WrongType(toml_path, n, key, "an integer");
        } else {
          (key == "uid" ? uid : gid) = n.as_integer()->get();
        }
      } else if (key == "keys") {
        if (!n.is_array()) {
          s = WrongType(toml_path, n, key, "an array of strings");
        } else {
          for (const auto& item : *n.as_array()) {
            if (!item.is_string()) {
              s = WrongType(toml_path, item, "keys[]", "a string");
              break;
            }
            r.keys.push_back(item.as_string()->get());
          }
        }
      }
      if (!s.ok()) return Err(s);
    }
  }

  if (!options.global_prefix.empty()) r.prefix = options.global_prefix;
  if (!r.prefix.starts_with('/')) r.prefix = "/" + r.prefix;
  if (src.empty()) {
    return Err(Status::InvalidArgument(toml_path + ": empty src template"));
  }
  r.uid = uid == -1 ? geteuid() : static_cast<uid_t>(uid);
  r.gid = gid == -1 ? getegid() : static_cast<gid_t>(gid);
  r.src = gopath::Join({gopath::Join({options.confdir, "templates"}), src});
  return r;
}

Result<std::vector<TemplateResource>> LoadResources(const LoadOptions& options) {
  std::vector<TemplateResource> out;
  auto files = sys::WalkFiles(gopath::Join({options.confdir, "conf.d"}), "*toml");
  if (!files) return Err(files.error());
  // Like confd, read every file before giving up, but report each bad one
  // rather than only the last.
  std::string errors;
  for (const auto& f : *files) {
    auto r = LoadResource(f, options);
    if (!r) {
      if (!errors.empty()) errors += "\n";
      errors += r.error().message();
      continue;
    }
    out.push_back(std::move(*r));
  }
  if (!errors.empty()) return Err(Status::InvalidArgument(errors));
  return out;
}

}  // namespace berth::confd
