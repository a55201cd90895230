#include "tests/integration/store_cases.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "backend/file/file_backend.h"

namespace berth::testing {
namespace {

namespace fs = std::filesystem;

std::string CaseDir(const std::string& name) {
  return std::string(BERTH_CONFORMANCE_DIR) + "/public/" + name;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

const std::vector<std::string>& StoreConformanceCases() {
  static const std::vector<std::string> cases = {"range--gets-kv", "range--ls-lsdir",
                                                 "cond--exists", "range--index-value"};
  return cases;
}

Result<std::vector<kv::Entry>> CaseData(const std::string& name) {
  backend::file::FileBackendOptions options;
  options.paths = {CaseDir(name) + "/data.yaml"};
  backend::file::FileBackend b(options);
  return b.ReadAll();
}

Result<std::string> PrepareCase(const std::string& name, const std::string& dir) {
  const fs::path src = fs::path(CaseDir(name)) / "confdir";
  const fs::path dst = fs::path(dir) / "confdir";
  const std::string out = dir + "/out";
  std::error_code ec;
  fs::create_directories(out, ec);
  fs::copy(src, dst, fs::copy_options::recursive, ec);
  if (ec) return Err(Status::IoError("copy " + src.string() + ": " + ec.message()));
  for (const auto& e : fs::directory_iterator(dst / "conf.d")) {
    std::string text = ReadAll(e.path());
    for (size_t at = text.find("@OUT@"); at != std::string::npos; at = text.find("@OUT@", at)) {
      text.replace(at, 5, out);
    }
    std::ofstream(e.path(), std::ios::binary | std::ios::trunc) << text;
  }
  return dst.string();
}

std::string CompareCaseOutput(const std::string& name, const std::string& dir) {
  const fs::path expected = fs::path(CaseDir(name)) / "expected";
  const fs::path out = fs::path(dir) / "out";
  std::set<std::string> want, have;
  for (const auto& e : fs::recursive_directory_iterator(expected)) {
    const std::string rel = fs::relative(e.path(), expected).string();
    if (rel != "exit_code") want.insert(rel);
  }
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    have.insert(fs::relative(e.path(), out).string());
  }
  std::string diff;
  for (const auto& w : want) {
    if (!have.count(w)) {
      diff += "missing " + w + "; ";
    } else if (fs::is_regular_file(expected / w) && ReadAll(expected / w) != ReadAll(out / w)) {
      diff += w + " differs:\n--- expected\n" + ReadAll(expected / w) + "--- got\n" +
              ReadAll(out / w) + "\n";
    }
  }
  for (const auto& h : have) {
    if (!want.count(h)) diff += "unexpected " + h + "; ";
  }
  return diff;
}

}  // namespace berth::testing
