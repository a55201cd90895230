// libFuzzer target: a template source is parsed with confd's function names
// and executed against a small store.  Any input must either fail with a
// Status or render: no crash, no sanitizer report, bounded work.
#include <cstddef>
#include <cstdint>
#include <string>

#include "confd/funcs.h"
#include "kv/snapshot.h"
#include "tmpl/template.h"

namespace {

const berth::kv::SnapshotPtr& Store() {
  static const berth::kv::SnapshotPtr store = berth::kv::Snapshot::Create({
      {"/app/servers/a", "10.0.0.1:80"},
      {"/app/servers/b", "10.0.0.2:80"},
      {"/app/name", "web"},
      {"/app/json", R"({"port": 8080, "tags": ["x", "y"], "nil": null})"},
      {"/app/list", R"([1, "two", {"three": 3}])"},
      {"/num", "42"},
  });
  return store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto t = berth::tmpl::Template::Parse("fuzz.tmpl", std::move(text), berth::confd::FuncNames());
  if (!t) return 0;
  std::string out;
  berth::tmpl::ExecLimits limits;
  limits.max_steps = 200000;
  limits.max_output = 1 << 20;
  (void)(*t)->Execute(&out, berth::tmpl::Value(), berth::confd::MakeFuncMap(Store()), limits);
  return 0;
}
