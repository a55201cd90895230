// Client::Create: finds the gRPC implementation (libberth-etcd.so) and asks
// it for a client.  When the library is already part of the process (tests
// link it) it is used as is; otherwise it is loaded from the executable's
// directory or $BERTH_LIB_DIR.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>

#include "backend/etcd/client.h"

namespace berth::etcd {
namespace {

using Factory = void (*)(ClientOptions*, Result<std::unique_ptr<Client>>*);
constexpr char kSymbol[] = "berth_etcd_create_client";
constexpr char kLibrary[] = "libberth-etcd.so";

std::string ExecutableDir() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

struct Loaded {
  Factory factory = nullptr;
  std::string error;
};

Loaded Load() {
  Loaded out;
  if (void* sym = dlsym(RTLD_DEFAULT, kSymbol)) {
    out.factory = reinterpret_cast<Factory>(sym);
    return out;
  }
  std::vector<std::string> candidates = {ExecutableDir() + "/" + kLibrary};
  if (const char* dir = std::getenv("BERTH_LIB_DIR"); dir != nullptr && *dir != '\0') {
    candidates.push_back(std::string(dir) + "/" + kLibrary);
  }
  for (const std::string& path : candidates) {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (handle == nullptr) {
      out.error += (out.error.empty() ? "" : "; ") + std::string(dlerror());
      continue;
    }
    if (void* sym = dlsym(handle, kSymbol)) {
      out.factory = reinterpret_cast<Factory>(sym);
      return out;
    }
    out.error += "; " + path + " has no " + kSymbol;
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  static const Loaded loaded = Load();
  if (loaded.factory == nullptr) {
    return Err(Status::Unavailable(
        "the etcd client needs " + std::string(kLibrary) +
        " next to the berth executable (or in $BERTH_LIB_DIR): " + loaded.error));
  }
  Result<std::unique_ptr<Client>> out = Err(Status::Internal("etcd client not created"));
  loaded.factory(&options, &out);
  return out;
}

}  // namespace berth::etcd
