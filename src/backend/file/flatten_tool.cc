// berth_yaml_flatten FILE...: prints, per file, "== FILE" and then one
// "key"="value" line per flattened key (Go-quoted, sorted), or "ERROR: ..."
// The same format as a Go program running yaml.v2 + confd's walk, so the two
// can be diffed.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "backend/file/yaml_flatten.h"
#include "base/gostrconv.h"

int main(int argc, char** argv) {
  std::string out;
  for (int i = 1; i < argc; ++i) {
    out += "== ";
    out += argv[i];
    out += "\n";
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      out += "READERR\n";
      continue;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    auto entries = berth::backend::file::FlattenYaml(buf.str(), argv[i]);
    if (!entries.has_value()) {
      out += "ERROR: " + entries.error().message() + "\n";
      continue;
    }
    for (const auto& e : *entries) {
      out += berth::gostrconv::Quote(e.key) + "=" + berth::gostrconv::Quote(e.value) + "\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
