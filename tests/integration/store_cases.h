// Test support for the redis and zookeeper backend tests: the data, confdir
// and expected output of a few tests/conformance cases (see its README), so
// that a test can load a case's keys into a store, run `berth confd
// -onetime` against the store and compare with what confd rendered from the
// file backend.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "kv/entry.h"

namespace berth::testing {

// Cases whose keys every store can hold (no key is also a directory).
const std::vector<std::string>& StoreConformanceCases();

// The case's data.yaml flattened as confd's file backend does.
Result<std::vector<kv::Entry>> CaseData(const std::string& name);

// Copies the case's confdir to `dir`/confdir with @OUT@ replaced by
// `dir`/out (created); returns the confdir path.
Result<std::string> PrepareCase(const std::string& name, const std::string& dir);

// Compares `dir`/out with the case's expected output: "" when equal, else
// what differs.
std::string CompareCaseOutput(const std::string& name, const std::string& dir);

}  // namespace berth::testing
