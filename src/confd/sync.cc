#include "confd/sync.h"

#include "base/log.h"
#include "base/udiff.h"
#include "sys/command.h"
#include "sys/file.h"
#include "tmpl/template.h"

namespace berth::confd {
namespace {

std::string Octal(mode_t m) {
  char buf[16];
  snprintf(buf, sizeof(buf), "%04o", static_cast<unsigned>(m));
  return buf;
}

// confd's check_cmd is itself a template (without confd's functions) whose
// data is {"src": <stage file>}.
Result<std::string> ExpandCheckCmd(const std::string& check_cmd, const std::string& staged) {
  static const tmpl::FuncMap kNoFuncs;
  auto t = tmpl::Template::Parse("checkcmd", check_cmd, kNoFuncs);
  if (!t) return Err(t.error());
  tmpl::MapData data;
  data.emplace("src", tmpl::Value::String(staged));
  std::string out;
  Status s =
      (*t)->Execute(&out, tmpl::Value::Map(tmpl::types::StringMap(), std::move(data)), kNoFuncs);
  if (!s.ok()) return Err(s);
  return out;
}

}  // namespace

Result<SyncOutcome> SyncDest(const TemplateResource& r, std::string_view content,
                             const SyncOptions& options) {
  // The mode the file gets: as configured, else dest's own, else 0644.
  auto dest_info = sys::Stat(r.dest);
  if (!dest_info) return Err(dest_info.error());
  mode_t mode = 0644;
  if (!r.mode.empty()) {
    auto m = ParseMode(r.mode);
    if (!m) return Err(m.error());
    mode = *m;
  } else if (dest_info->has_value()) {
    mode = (*dest_info)->mode;
  }

  std::string old_content;  // read only for -noop's diff
  bool changed = true;
  if (dest_info->has_value()) {
    const sys::FileInfo& d = **dest_info;
    bool same = false;
    if (options.noop) {
      auto current = sys::ReadFile(r.dest);
      if (current) old_content = std::move(*current);
      same = current && old_content == content;
    } else {
      auto equal = sys::FileContentEquals(r.dest, content);
      same = equal && *equal;
    }
    changed = !same || d.mode != mode || d.uid != r.uid || d.gid != r.gid;
    if (changed && same) {
      if (d.mode != mode)
        log::Info(r.dest + " has mode " + Octal(d.mode) + " should be " + Octal(mode));
      if (d.uid != r.uid || d.gid != r.gid) {
        log::Info(r.dest + " has owner " + std::to_string(d.uid) + ":" + std::to_string(d.gid) +
                  " should be " + std::to_string(r.uid) + ":" + std::to_string(r.gid));
      }
    }
  }

  if (!changed && !options.keep_stage_file) {
    log::Debug("Target config " + r.dest + " in sync");
    return SyncOutcome::kInSync;
  }

  if (options.noop) {
    log::Warning("Noop mode enabled. " + r.dest + " will not be modified");
    if (changed) {
      std::string diff = UnifiedDiff(old_content, content, r.dest, r.dest + " (rendered)");
      if (dest_info->has_value() && (*dest_info)->mode != mode) {
        diff += "mode " + Octal((*dest_info)->mode) + " -> " + Octal(mode) + " " + r.dest + "\n";
      }
      std::fwrite(diff.data(), 1, diff.size(), options.diff_out);
      std::fflush(options.diff_out);
    }
    if (!options.keep_stage_file) return changed ? SyncOutcome::kUpdated : SyncOutcome::kInSync;
  }

  auto staged = sys::StagedFile::Create(r.dest);
  if (!staged) return Err(staged.error());
  BERTH_RETURN_IF_ERROR(staged->WriteAndSync(content));
  // chown before chmod: chown(2) clears the set-user-ID and set-group-ID
  // bits, so the other order would drop them from a dest that has them.
  BERTH_RETURN_IF_ERROR(staged->Chown(r.uid, r.gid));
  BERTH_RETURN_IF_ERROR(staged->Chmod(mode));
  if (options.keep_stage_file) {
    log::Info("Keeping staged file: " + staged->path());
    staged->Keep();
  }
  if (options.noop || !changed) {
    if (!changed) log::Debug("Target config " + r.dest + " in sync");
    return changed ? SyncOutcome::kUpdated : SyncOutcome::kInSync;
  }

  log::Info("Target config " + r.dest + " out of sync");
  if (!options.sync_only && !r.check_cmd.empty()) {
    auto cmd = ExpandCheckCmd(r.check_cmd, staged->path());
    if (!cmd) return Err(cmd.error().Wrap("Config check failed"));
    Status s = RunCommand("Config check failed:", *cmd, options);
    if (!s.ok()) return Err(s);
  }
  log::Debug("Overwriting target config " + r.dest);
  BERTH_RETURN_IF_ERROR(staged->Commit(r.dest));
  return SyncOutcome::kUpdated;
}

Status RunCommand(std::string_view what, const std::string& cmd, const SyncOptions& options) {
  log::Debug("Running " + cmd);
  auto result = sys::RunShell(cmd, options.command_timeout);
  if (!result) return result.error().Wrap(std::string(what));
  if (!result->ok()) {
    std::string msg = std::string(what) + " " + result->Describe();
    if (result->timed_out) {
      msg += " after " + std::to_string(options.command_timeout.count()) + "ms";
    }
    if (!result->output.empty()) msg += ": " + result->output;
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return Status(result->timed_out ? Code::kTimeout : Code::kFailedPrecondition, msg);
  }
  if (!result->output.empty()) log::Debug(result->output);
  return Status::Ok();
}

}  // namespace berth::confd
