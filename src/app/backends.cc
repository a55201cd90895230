#include "app/backends.h"

#include "backend/env/env_backend.h"
#include "backend/file/file_backend.h"

namespace berth::app {

Result<backend::BackendPtr> OpenBackend(const confd::Config& config) {
  const std::string& name = config.backend;
  if (name == "file") {
    if (config.files.empty()) {
      return Err(Status::InvalidArgument("the file backend needs at least one -file"));
    }
    return backend::file::NewFileBackend({config.files, config.filter});
  }
  if (name == "env") return backend::env::NewEnvBackend();
  return Err(Status::InvalidArgument("unknown or unsupported backend: " + name +
                                     " (this build supports: file, env)"));
}

}  // namespace berth::app
