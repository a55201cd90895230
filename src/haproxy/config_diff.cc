#include "haproxy/config_diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace berth::haproxy {
namespace {

constexpr std::string_view kSectionKeywords[] = {
    "global",      "defaults",  "frontend", "backend",  "listen",
    "peers",       "resolvers", "userlist", "mailers",  "program",
    "http-errors", "ring",      "cache",    "fcgi-app", "log-forward",
};

bool IsSectionKeyword(std::string_view word) {
  return std::find(std::begin(kSectionKeywords), std::end(kSectionKeywords), word) !=
         std::end(kSectionKeywords);
}

// Sections whose `server` lines are backend servers.
bool HasServers(std::string_view keyword) { return keyword == "backend" || keyword == "listen"; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Line {
  int number = 0;
  std::vector<std::string> words;
};

struct Section {
  int line = 0;                     // of the header; 0 for lines before any section
  std::vector<std::string> header;  // e.g. {"backend", "be"}; empty before any section
  std::vector<Line> others;         // every line but the header and server lines
  std::vector<ServerLine> servers;  // backend and listen sections only

  std::string keyword() const { return header.empty() ? "" : header[0]; }
  std::string name() const { return header.size() > 1 ? header[1] : ""; }
  std::string Describe() const {
    if (header.empty()) return "the lines before the first section";
    std::string s;
    for (const auto& w : header) s += (s.empty() ? "" : " ") + w;
    return s;
  }
};

struct Config {
  std::vector<Section> sections;
};

std::string JoinWords(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

// Parses a whole file; kInvalidArgument naming the line on a split error.
Result<Config> ParseConfig(std::string_view text) {
  Config config;
  config.sections.emplace_back();  // lines before the first section
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(start, end - start);
    ++number;
    start = end + 1;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    auto words = SplitConfigLine(raw);
    if (!words) {
      return Err(Status::InvalidArgument("line " + std::to_string(number) + ": " +
                                         words.error().message()));
    }
    if (words->empty()) {
      if (end == text.size()) break;
      continue;
    }
    if (IsSectionKeyword((*words)[0])) {
      Section s;
      s.line = number;
      s.header = std::move(*words);
      config.sections.push_back(std::move(s));
    } else {
      Section& current = config.sections.back();
      if ((*words)[0] == "server" && HasServers(current.keyword()) && words->size() >= 3) {
        ServerLine sl;
        sl.name = (*words)[1];
        sl.address = (*words)[2];
        sl.options.assign(words->begin() + 3, words->end());
        sl.line = number;
        current.servers.push_back(std::move(sl));
      } else {
        current.others.push_back(Line{number, std::move(*words)});
      }
    }
    if (end == text.size()) break;
  }
  return config;
}

// The first word after `keyword` among a section's lines, or "".
std::vector<std::string> Directive(const Section& s, std::string_view keyword) {
  std::vector<std::string> found;
  for (const auto& l : s.others) {
    if (l.words[0] == keyword) found = l.words;  // the last one wins, as in HAProxy
  }
  return found;
}

bool HasDirective(const Section& s, std::string_view keyword) {
  return std::any_of(s.others.begin(), s.others.end(),
                     [&](const Line& l) { return l.words[0] == keyword; });
}

// The defaults section a proxy at `index` inherits from: the one named by
// `from <name>` on its header, else the last defaults section before it.
const Section* DefaultsOf(const Config& c, size_t index) {
  const Section& proxy = c.sections[index];
  std::string from;
  for (size_t i = 2; i + 1 < proxy.header.size(); ++i) {
    if (proxy.header[i] == "from") from = proxy.header[i + 1];
  }
  for (size_t i = index; i-- > 0;) {
    const Section& s = c.sections[i];
    if (s.keyword() != "defaults") continue;
    if (from.empty() || s.name() == from) return &s;
  }
  return nullptr;
}

struct Algorithm {
  std::string balance = "roundrobin";
  std::string hash_type = "map-based";
  bool dynamic() const {
    if (balance == "roundrobin" || balance == "leastconn" || balance == "first" ||
        balance.starts_with("random")) {
      return true;
    }
    if (balance == "static-rr") return false;
    return hash_type == "consistent";  // source, uri, url_param, hdr, rdp-cookie, hash
  }
};

Algorithm AlgorithmOf(const Config& c, size_t index) {
  Algorithm a;
  const Section* defaults = DefaultsOf(c, index);
  for (const Section* s : {defaults, &c.sections[index]}) {
    if (s == nullptr) continue;
    auto balance = Directive(*s, "balance");
    if (balance.size() > 1) a.balance = balance[1];
    auto hash_type = Directive(*s, "hash-type");
    if (hash_type.size() > 1) a.hash_type = hash_type[1];
  }
  return a;
}

void FillDynamicInfo(const Config& c, size_t index, BackendChanges* changes) {
  const Algorithm a = AlgorithmOf(c, index);
  changes->static_algorithm = !a.dynamic();
  if (!a.dynamic()) {
    changes->dynamic_servers = false;
    changes->why_not_dynamic = "backend " + changes->backend + " uses \"balance " + a.balance +
                               "\"" + (a.balance == "static-rr" ? "" : " with map-based hashing") +
                               ", which takes no dynamic servers";
    return;
  }
  const Section* defaults = DefaultsOf(c, index);
  if (HasDirective(c.sections[index], "default-server") ||
      (defaults != nullptr && HasDirective(*defaults, "default-server"))) {
    changes->dynamic_servers = false;
    changes->why_not_dynamic = "backend " + changes->backend +
                               " has default-server settings, which dynamic servers do not get";
  }
}

std::string LineDiff(const Section& old_s, const Section& new_s) {
  const auto& o = old_s.others;
  const auto& n = new_s.others;
  size_t i = 0;
  while (i < o.size() && i < n.size() && o[i].words == n[i].words) ++i;
  auto gained = [&](size_t at) {
    return "new line " + std::to_string(n[at].number) + ": " + new_s.Describe() + " gained \"" +
           JoinWords(n[at].words) + "\"";
  };
  auto lost = [&](size_t at) {
    return "old line " + std::to_string(o[at].number) + ": " + old_s.Describe() + " lost \"" +
           JoinWords(o[at].words) + "\"";
  };
  if (i == o.size()) return gained(i);
  if (i == n.size()) return lost(i);
  // One line inserted or deleted reads better than "changed".
  if (n.size() > o.size() && n[i + 1].words == o[i].words) return gained(i);
  if (o.size() > n.size() && o[i + 1].words == n[i].words) return lost(i);
  return "new line " + std::to_string(n[i].number) + ": " + new_s.Describe() + " changed: \"" +
         JoinWords(n[i].words) + "\" (was \"" + JoinWords(o[i].words) + "\")";
}

ConfigDiff NeedsReload(std::string reason) {
  ConfigDiff d;
  d.kind = ConfigDiff::Kind::kNeedsReload;
  d.reason = std::move(reason);
  return d;
}

// "" when `servers` has no duplicate name, else the first duplicate.
std::string DuplicateName(const std::vector<ServerLine>& servers) {
  std::set<std::string> seen;
  for (const auto& s : servers) {
    if (!seen.insert(s.name).second) return s.name;
  }
  return "";
}

// For `balance first`: kept servers keep their relative order and every new
// server comes after the last kept one.
bool OrderKept(const std::vector<ServerLine>& old_servers,
               const std::vector<ServerLine>& new_servers) {
  std::set<std::string> old_names, new_names;
  for (const auto& s : old_servers) old_names.insert(s.name);
  for (const auto& s : new_servers) new_names.insert(s.name);
  std::vector<std::string> old_kept, new_kept;
  for (const auto& s : old_servers) {
    if (new_names.count(s.name)) old_kept.push_back(s.name);
  }
  bool seen_added = false;
  for (const auto& s : new_servers) {
    if (old_names.count(s.name)) {
      if (seen_added) return false;
      new_kept.push_back(s.name);
    } else {
      seen_added = true;
    }
  }
  return old_kept == new_kept;
}

}  // namespace

Result<std::vector<std::string>> SplitConfigLine(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  enum { kNone, kDouble, kSingle } quote = kNone;
  size_t i = 0;
  for (; i < line.size(); ++i) {
    const char c = line[i];
    if (quote == kSingle) {
      if (c == '\'') {
        quote = kNone;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= line.size()) {
        word += c;
        in_word = true;
        continue;
      }
      const char n = line[i + 1];
      if (n == ' ' || n == '\t' || n == '#' || n == '\\' || n == '\'' || n == '"') {
        word += n;
        ++i;
      } else if (n == 'n' || n == 'r' || n == 't') {
        word += n == 'n' ? '\n' : n == 'r' ? '\r' : '\t';
        ++i;
      } else if (n == 'x') {
        const int hi = i + 2 < line.size() ? HexDigit(line[i + 2]) : -1;
        const int lo = i + 3 < line.size() ? HexDigit(line[i + 3]) : -1;
        if (hi < 0 || lo < 0) {
          return Err(Status::InvalidArgument("truncated or invalid \\x sequence"));
        }
        word += static_cast<char>(hi * 16 + lo);
        i += 3;
      } else {
        // HAProxy keeps an unknown escape as written ("\d" in a regex);
        // "\$" stays distinct from "$", which expands a variable.
        word += c;
        word += n;
        ++i;
      }
      in_word = true;
      continue;
    }
    if (quote == kDouble) {
      if (c == '"') {
        quote = kNone;
      } else {
        word += c;
      }
      continue;
    }
    if (c == '"') {
      quote = kDouble;
      in_word = true;
    } else if (c == '\'') {
      quote = kSingle;
      in_word = true;
    } else if (c == '#') {
      break;
    } else if (c == ' ' || c == '\t') {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote != kNone) return Err(Status::InvalidArgument("unterminated quote"));
  if (in_word) words.push_back(std::move(word));
  return words;
}

ConfigDiff DiffConfigs(std::string_view old_text, std::string_view new_text) {
  auto old_config = ParseConfig(old_text);
  if (!old_config) return NeedsReload("old file: " + old_config.error().message());
  auto new_config = ParseConfig(new_text);
  if (!new_config) return NeedsReload("new file: " + new_config.error().message());
  const auto& olds = old_config->sections;
  const auto& news = new_config->sections;

  // Proxy names with servers must be unique for changes to name a backend.
  std::set<std::string> proxies;
  for (const auto& s : news) {
    if (HasServers(s.keyword()) && !proxies.insert(s.name()).second) {
      return NeedsReload("new line " + std::to_string(s.line) + ": a second section named " +
                         s.name());
    }
  }

  const size_t n = std::min(olds.size(), news.size());
  for (size_t i = 0; i < n; ++i) {
    if (olds[i].header != news[i].header) {
      return NeedsReload("new line " + std::to_string(news[i].line) + ": section " +
                         news[i].Describe() + " where the old file has " + olds[i].Describe());
    }
  }
  if (news.size() > n) {
    return NeedsReload("new line " + std::to_string(news[n].line) + ": section " +
                       news[n].Describe() + " added");
  }
  if (olds.size() > n) {
    return NeedsReload("old line " + std::to_string(olds[n].line) + ": section " +
                       olds[n].Describe() + " removed");
  }
  for (size_t i = 0; i < n; ++i) {
    const size_t m = std::min(olds[i].others.size(), news[i].others.size());
    bool same = olds[i].others.size() == news[i].others.size();
    for (size_t j = 0; same && j < m; ++j)
      same = olds[i].others[j].words == news[i].others[j].words;
    if (!same) return NeedsReload(LineDiff(olds[i], news[i]));
  }

  ConfigDiff diff;
  for (size_t i = 0; i < n; ++i) {
    const Section& o = olds[i];
    const Section& s = news[i];
    if (!HasServers(s.keyword())) continue;
    if (const std::string dup = DuplicateName(s.servers); !dup.empty()) {
      return NeedsReload(s.Describe() + ": two servers named " + dup + " in the new file");
    }
    if (const std::string dup = DuplicateName(o.servers); !dup.empty()) {
      return NeedsReload(o.Describe() + ": two servers named " + dup + " in the old file");
    }
    BackendChanges changes;
    changes.backend = s.name();
    std::map<std::string, const ServerLine*> old_by_name, new_by_name;
    for (const auto& sl : o.servers) old_by_name[sl.name] = &sl;
    for (const auto& sl : s.servers) new_by_name[sl.name] = &sl;
    for (const auto& sl : s.servers) {
      const auto it = old_by_name.find(sl.name);
      if (it == old_by_name.end()) {
        changes.added.push_back(sl);
      } else if (!it->second->SameAs(sl)) {
        changes.modified.push_back({*it->second, sl});
      }
    }
    for (const auto& sl : o.servers) {
      if (!new_by_name.count(sl.name)) changes.removed.push_back(sl);
    }
    const bool any =
        !changes.added.empty() || !changes.removed.empty() || !changes.modified.empty();
    if (AlgorithmOf(*new_config, i).balance == "first" && !OrderKept(o.servers, s.servers)) {
      return NeedsReload(s.Describe() +
                         ": the order of servers changed in a backend using \"balance first\"");
    }
    if (!any) continue;
    FillDynamicInfo(*new_config, i, &changes);
    diff.backends.push_back(std::move(changes));
  }
  diff.kind = diff.backends.empty() ? ConfigDiff::Kind::kIdentical : ConfigDiff::Kind::kServersOnly;
  return diff;
}

}  // namespace berth::haproxy
