#include "up/confd_files.h"

#include <sys/stat.h>

#include "sys/file.h"

namespace berth::up {

namespace {

bool PlaceholderChar(char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }

}  // namespace

Result<std::string> ReplacePlaceholders(std::string_view text,
                                        const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const size_t at = text.find('@', i);
    if (at == std::string_view::npos) break;
    out.append(text, i, at - i);
    size_t end = at + 1;
    while (end < text.size() && PlaceholderChar(text[end])) ++end;
    if (end == at + 1 || end >= text.size() || text[end] != '@') {
      // A lone '@' (an e-mail address, "unix@"): kept as is.
      out += '@';
      i = at + 1;
      continue;
    }
    const std::string name(text.substr(at + 1, end - at - 1));
    auto it = values.find(name);
    if (it == values.end()) {
      return Err(Status::InvalidArgument("placeholder @" + name + "@ has no value"));
    }
    out += it->second;
    i = end + 1;
  }
  if (i < text.size()) out.append(text, i);
  return out;
}

std::map<std::string, std::string> PlaceholderTable(const ConfdValues& v) {
  return {{"STATE_DIR", v.state_dir},
          {"RUN_DIR", v.run_dir},
          {"PORT", std::to_string(v.port)},
          {"PREFIX", v.prefix},
          {"HAPROXY", v.haproxy}};
}

Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode) {
  auto staged = sys::StagedFile::Create(path);
  if (!staged) return staged.error();
  BERTH_RETURN_IF_ERROR(staged->WriteAndSync(content));
  BERTH_RETURN_IF_ERROR(staged->Chmod(mode));
  return staged->Commit(path);
}

Status WriteConfdFiles(const StateLayout& layout, const ConfdValues& values) {
  const auto table = PlaceholderTable(values);
  auto toml = ReplacePlaceholders(EmbeddedToml(), table);
  if (!toml) return toml.error().Wrap("examples/up/haproxy.toml.in");
  auto tmpl = ReplacePlaceholders(EmbeddedTemplate(), table);
  if (!tmpl) return tmpl.error().Wrap("examples/up/haproxy.cfg.tmpl.in");
  BERTH_RETURN_IF_ERROR(WriteFileAtomically(layout.toml_file, *toml));
  return WriteFileAtomically(layout.template_file, *tmpl);
}

}  // namespace berth::up
