// The confd files `berth up` runs: examples/up/haproxy.toml.in and
// examples/up/haproxy.cfg.tmpl.in, embedded in the binary at build time
// (embedded_files.cc.in) so that `berth up` works from any directory, and
// written into the state directory with their placeholders replaced:
//
//   @STATE_DIR@  the state directory        @RUN_DIR@  its run/ directory
//   @PORT@       the frontend port          @PREFIX@   the etcd key prefix
//   @HAPROXY@    the haproxy binary
//
// Plain functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/status.h"
#include "up/paths.h"

namespace berth::up {

// The embedded files, placeholders and all.
std::string_view EmbeddedToml();
std::string_view EmbeddedTemplate();

// Replaces every "@NAME@" of `values` in `text`, in one pass (a replacement
// is never scanned again).  kInvalidArgument naming the placeholder when
// `text` holds an "@NAME@" (NAME in [A-Z_]+) that `values` lacks, so that a
// new placeholder in the files cannot slip through unreplaced.
Result<std::string> ReplacePlaceholders(std::string_view text,
                                        const std::map<std::string, std::string>& values);

struct ConfdValues {
  std::string state_dir;
  std::string run_dir;
  int port = 8080;
  std::string prefix = "/app/servers";
  std::string haproxy = "/usr/sbin/haproxy";
};

// The placeholder table of `v`.
std::map<std::string, std::string> PlaceholderTable(const ConfdValues& v);

// Writes the two files to layout.toml_file and layout.template_file (each
// staged and renamed into place), replacing older ones.
Status WriteConfdFiles(const StateLayout& layout, const ConfdValues& values);

// Writes `content` to `path` through a staged file in the same directory:
// readers see the old or the new file, never part of one.
Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode = 0644);

}  // namespace berth::up
