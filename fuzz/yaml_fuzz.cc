// libFuzzer target: YAML/JSON data files as the file backend reads them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backend/file/yaml_flatten.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)berth::backend::file::FlattenYaml(text, "fuzz.yaml");
  return 0;
}
