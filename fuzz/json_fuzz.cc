// libFuzzer target: confd's json / jsonArray (Go's encoding/json rules).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "confd/gojson.h"
#include "tmpl/gofmt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto r : {berth::confd::UnmarshalJsonObject(text), berth::confd::UnmarshalJsonArray(text)}) {
    if (r) {
      berth::tmpl::Value args[] = {*r};
      (void)berth::tmpl::GoSprintf("%v %#v", args);
    }
  }
  return 0;
}
