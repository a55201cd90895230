// FileWatch: the file backend's change feed.  inotify watches each -file
// path — a file through its directory (so that an editor's or a deploy
// tool's replace-by-rename is seen), a directory with everything below it —
// and any change turns into one resync batch: the caller reads the files
// again, as confd's file backend does after an fsnotify event.
//
// One thread calls Next; Close may come from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace berth::backend::file {

// Starts watching `paths` (the -file arguments).  Errors name the path.
Result<WatchPtr> WatchFiles(const std::vector<std::string>& paths);

}  // namespace berth::backend::file
