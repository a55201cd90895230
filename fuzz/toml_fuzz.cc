// libFuzzer target: template resource files (conf.d/*.toml).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "confd/resource.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  berth::confd::LoadOptions options;
  options.confdir = "/etc/confd";
  auto r = berth::confd::ParseResource(text, "fuzz.toml", options);
  if (r) (void)berth::confd::ParseMode(r->mode);
  return 0;
}
