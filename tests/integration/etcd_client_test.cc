// etcd::Client and the etcd backend against real etcd servers.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "backend/etcd/client.h"
#include "backend/etcd/etcd_backend.h"
#include "tests/integration/etcd_fixture.h"

namespace berth::etcd {
namespace {

using namespace std::chrono_literals;
using testing::EtcdCluster;
using testing::EtcdClusterOptions;
using testing::EtcdTest;
using testing::WaitFor;

using EtcdClientTest = EtcdTest;

ClientPtr NewClient(ClientOptions options) {
  auto c = Client::Create(std::move(options));
  EXPECT_TRUE(c.has_value()) << c.error().message();
  return c ? std::move(*c) : nullptr;
}

std::string Key(std::string_view prefix, int i) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%06d", i);
  return std::string(prefix) + buf;
}

// Writes `count` keys prefix000000... in transactions of 128 (etcd's
// default --max-txn-ops).
void Fill(Client& client, std::string_view prefix, int count) {
  std::vector<std::pair<std::string, std::string>> batch;
  for (int i = 0; i < count; ++i) {
    batch.emplace_back(Key(prefix, i), "value-" + std::to_string(i));
    if (batch.size() == 128 || i + 1 == count) {
      auto r = client.PutMany(batch);
      ASSERT_TRUE(r.has_value()) << r.error().message();
      batch.clear();
    }
  }
}

// Puts until etcd confirms, across restarts and elections.  `slowest`
// (if given) keeps the longest time one put took.
int64_t PutUntilDone(Client& client, const std::string& key, const std::string& value,
                     std::chrono::milliseconds* slowest = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + 60s;
  for (;;) {
    auto r = client.Put(key, value);
    if (slowest) {
      *slowest = std::max(*slowest, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - start));
    }
    if (r) return *r;
    if (std::chrono::steady_clock::now() >= deadline) {
      ADD_FAILURE() << "put " << key << " never succeeded: " << r.error().message();
      return -1;
    }
  }
}

// The events of a watch, gathered by a test while something else happens.
struct Gathered {
  std::vector<WatchEvent> events;
  std::vector<int64_t> progress;
  Status failure;  // set when the stream reported something unexpected
};

// Calls Next until `done` holds or `timeout` passes; kTimeout/kUnavailable
// just mean "call again".
template <typename Done>
bool Gather(WatchStream& w, Gathered* g, Done done, std::chrono::milliseconds timeout,
            std::function<void()> between = nullptr) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (between) between();
    auto b = w.Next(200ms);
    if (!b) {
      if (b.error().code() == Code::kTimeout || b.error().code() == Code::kUnavailable) continue;
      g->failure = b.error();
      return false;
    }
    switch (b->kind) {
      case WatchBatch::Kind::kEvents:
        EXPECT_EQ(b->revision, b->events.back().mod_revision);
        for (WatchEvent& e : b->events) g->events.push_back(std::move(e));
        break;
      case WatchBatch::Kind::kProgress:
        g->progress.push_back(b->revision);
        break;
      case WatchBatch::Kind::kCompacted:
        g->failure = Status::Internal("compacted at " + std::to_string(b->compact_revision));
        return false;
      case WatchBatch::Kind::kCanceled:
        g->failure = Status::Internal("canceled: " + b->cancel_reason);
        return false;
    }
  }
  return true;
}

// The revisions of `events` are exactly first, first+1, ..., last: nothing
// lost, repeated or reordered.
void ExpectContiguous(const std::vector<WatchEvent>& events, int64_t first, int64_t last) {
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().mod_revision, first);
  EXPECT_EQ(events.back().mod_revision, last);
  EXPECT_EQ(static_cast<int64_t>(events.size()), last - first + 1);
  for (size_t i = 1; i < events.size(); ++i) {
    ASSERT_EQ(events[i].mod_revision, events[i - 1].mod_revision + 1)
        << "at event " << i << " (" << events[i].key << ")";
  }
}

// ---------------------------------------------------------------------------
// Without a server

TEST(EtcdClientOptions, Rejected) {
  EXPECT_EQ(Client::Create({}).error().code(), Code::kInvalidArgument);
  ClientOptions o;
  o.endpoints = {"ftp://127.0.0.1:2379"};
  EXPECT_EQ(Client::Create(o).error().code(), Code::kInvalidArgument);
  o.endpoints = {"127.0.0.1:2379"};
  o.cert_file = "/nonexistent/cert.pem";
  EXPECT_EQ(Client::Create(o).error().code(), Code::kInvalidArgument);  // no key
  o.key_file = "/nonexistent/key.pem";
  auto r = Client::Create(o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Code::kIoError);
  EXPECT_NE(r.error().message().find("/nonexistent/cert.pem"), std::string::npos);
}

TEST(EtcdClientNoServer, UnavailableNamesEndpoints) {
  ClientOptions o;
  // Nothing listens on port 1 of the loopback.
  o.endpoints = {"http://127.0.0.1:1", "127.0.0.1:1"};
  o.request_timeout = 600ms;
  o.dial_timeout = 200ms;
  auto client = NewClient(o);
  ASSERT_TRUE(client);
  const auto start = std::chrono::steady_clock::now();
  auto r = client->Put("/k", "v");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Code::kUnavailable) << r.error().message();
  EXPECT_NE(r.error().message().find("put /k"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("http://127.0.0.1:1"), std::string::npos)
      << r.error().message();
  EXPECT_LT(took, 3s);
  auto w = client->Watch("/k", 0);
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().code(), Code::kUnavailable) << w.error().message();
}

// ---------------------------------------------------------------------------
// KV

TEST_F(EtcdClientTest, PutGetPrefixDelete) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);

  auto missing = client->Get("/app/servers/none");
  ASSERT_TRUE(missing.has_value()) << missing.error().message();
  EXPECT_FALSE(missing->has_value());

  auto r1 = client->Put("/app/servers/a", "10.0.0.1:80");
  ASSERT_TRUE(r1.has_value()) << r1.error().message();
  auto r2 = client->Put("/app/servers/b", "10.0.0.2:80");
  ASSERT_TRUE(r2.has_value());
  auto r3 = client->Put("/apple", "not a server");
  ASSERT_TRUE(r3.has_value());
  EXPECT_LT(*r1, *r2);
  EXPECT_LT(*r2, *r3);

  auto a = client->Get("/app/servers/a");
  ASSERT_TRUE(a.has_value() && a->has_value());
  EXPECT_EQ((*a)->value, "10.0.0.1:80");
  EXPECT_EQ((*a)->mod_revision, *r1);
  EXPECT_EQ((*a)->version, 1);

  auto servers = client->GetPrefix("/app/servers/");
  ASSERT_TRUE(servers.has_value()) << servers.error().message();
  ASSERT_EQ(servers->kvs.size(), 2u);
  EXPECT_EQ(servers->kvs[0].key, "/app/servers/a");
  EXPECT_EQ(servers->kvs[1].key, "/app/servers/b");
  EXPECT_EQ(servers->revision, *r3);

  // A plain string prefix: "/app" also covers "/apple".
  auto app = client->GetPrefix("/app");
  ASSERT_TRUE(app.has_value());
  EXPECT_EQ(app->kvs.size(), 3u);
  auto all = client->GetPrefix("");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->kvs.size(), 3u);

  auto del = client->Delete("/app/servers/a");
  ASSERT_TRUE(del.has_value());
  EXPECT_EQ(del->deleted, 1);
  EXPECT_EQ(del->revision, *r3 + 1);
  EXPECT_EQ(client->Delete("/app/servers/a")->deleted, 0);

  auto delp = client->DeletePrefix("/app");
  ASSERT_TRUE(delp.has_value());
  EXPECT_EQ(delp->deleted, 2);
  EXPECT_TRUE(client->GetPrefix("")->kvs.empty());

  // Binary keys and values survive the trip.
  const std::string key("/bin/\0\xff", 7), value("\0\x01\x02", 3);
  ASSERT_TRUE(client->Put(key, value).has_value());
  auto bin = client->Get(key);
  ASSERT_TRUE(bin.has_value() && bin->has_value());
  EXPECT_EQ((*bin)->value, value);
}

TEST_F(EtcdClientTest, PaginatesTwentyThousandKeys) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  ClientOptions o = cluster->ClientOptions();
  o.page_size = 777;  // pages that do not divide the count
  auto client = NewClient(o);
  ASSERT_TRUE(client);
  constexpr int kKeys = 20000;
  Fill(*client, "/many/", kKeys);
  ASSERT_TRUE(client->Put("/many0", "after the prefix").has_value());
  ASSERT_TRUE(client->Put("/man", "before the prefix").has_value());

  auto r = client->GetPrefix("/many/");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->kvs.size(), static_cast<size_t>(kKeys));
  for (int i = 0; i < kKeys; ++i) {
    ASSERT_EQ(r->kvs[i].key, Key("/many/", i));
    ASSERT_EQ(r->kvs[i].value, "value-" + std::to_string(i));
  }

  // Pages too large for a message are split until they fit: 300 values of
  // 1 KiB through 64 KiB messages.
  std::vector<std::pair<std::string, std::string>> big;
  for (int i = 0; i < 300; ++i) {
    big.emplace_back(Key("/big/", i), std::string(1024, static_cast<char>('a' + i % 26)));
    if (big.size() == 100) {
      ASSERT_TRUE(client->PutMany(big).has_value());
      big.clear();
    }
  }
  ClientOptions small = cluster->ClientOptions();
  small.max_message_bytes = 64 << 10;
  auto small_client = NewClient(small);
  ASSERT_TRUE(small_client);
  auto split = small_client->GetPrefix("/big/");
  ASSERT_TRUE(split.has_value()) << split.error().message();
  ASSERT_EQ(split->kvs.size(), 300u);
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(split->kvs[i].key, Key("/big/", i));
    ASSERT_EQ(split->kvs[i].value.size(), 1024u);
  }
}

TEST_F(EtcdClientTest, GetPrefixAtAnOlderRevision) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  ClientOptions o = cluster->ClientOptions();
  o.page_size = 2;  // several pages, all at the pinned revision
  auto client = NewClient(o);
  ASSERT_TRUE(client);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->Put(Key("/pin/", i), "old").has_value());
  auto old_rev = client->GetPrefix("/pin/");
  ASSERT_TRUE(old_rev.has_value());
  // Change everything after the read.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client->Put(Key("/pin/", i), "new").has_value());
  ASSERT_TRUE(client->Put(Key("/pin/", 9), "new").has_value());
  ASSERT_TRUE(client->Delete(Key("/pin/", 0)).has_value());

  auto then = client->GetPrefix("/pin/", old_rev->revision);
  ASSERT_TRUE(then.has_value()) << then.error().message();
  EXPECT_EQ(then->revision, old_rev->revision);
  ASSERT_EQ(then->kvs.size(), 5u);
  for (const KeyValue& kv : then->kvs) EXPECT_EQ(kv.value, "old") << kv.key;
  auto now = client->GetPrefix("/pin/");
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(now->kvs.size(), 5u);
  for (const KeyValue& kv : now->kvs) EXPECT_EQ(kv.value, "new") << kv.key;

  // After compaction the old revision is gone.
  ASSERT_TRUE(client->Compact(now->revision).ok());
  auto gone = client->GetPrefix("/pin/", old_rev->revision);
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().code(), Code::kFailedPrecondition) << gone.error().message();
  EXPECT_NE(gone.error().message().find("compacted"), std::string::npos) << gone.error().message();
}

TEST_F(EtcdClientTest, BackendReadsAllPrefixesAtOneRevision) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto made = backend::etcd::NewEtcdBackend(cluster->ClientOptions());
  ASSERT_TRUE(made.has_value()) << made.error().message();
  backend::etcd::EtcdBackend& backend = **made;
  EXPECT_EQ(backend.name(), "etcdv3");
  EXPECT_TRUE(backend::etcd::IsEtcdBackendName("etcd"));
  EXPECT_TRUE(backend::etcd::IsEtcdBackendName("etcdv3"));
  Client& client = *backend.client();
  ASSERT_TRUE(client.Put("/app/servers/a", "1").has_value());
  ASSERT_TRUE(client.Put("/app/db/host", "db").has_value());
  auto first = backend.ReadAt({"/app/servers", "/app/db"});
  ASSERT_TRUE(first.has_value()) << first.error().message();
  ASSERT_TRUE(client.Put("/app/servers/b", "2").has_value());
  ASSERT_TRUE(client.Put("/app/db/host", "db2").has_value());

  // Overlapping prefixes give each key once, sorted.
  auto values = backend.GetValues({"/app/servers", "/app/db", "/app"});
  ASSERT_TRUE(values.has_value()) << values.error().message();
  std::vector<kv::Entry> want = {
      {"/app/db/host", "db2"}, {"/app/servers/a", "1"}, {"/app/servers/b", "2"}};
  EXPECT_EQ(*values, want);

  auto again = backend.ReadAt({"/app/servers", "/app/db"}, first->revision);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->entries, first->entries);
  std::vector<kv::Entry> old = {{"/app/db/host", "db"}, {"/app/servers/a", "1"}};
  EXPECT_EQ(again->entries, old);
}

TEST_F(EtcdClientTest, OneClientServesManyThreads) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  auto w = client->Watch("/mt/", 0);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  constexpr int kThreads = 4, kPuts = 100;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPuts; ++i) {
        const std::string key = "/mt/" + std::to_string(t) + "/" + std::to_string(i);
        if (!client->Put(key, "v").has_value()) ++failures;
        auto got = client->Get(key);
        if (!got.has_value() || !got->has_value()) ++failures;
        if (i % 10 == 0 && !client->GetPrefix("/mt/").has_value()) ++failures;
      }
    });
  }
  Gathered g;
  EXPECT_TRUE(Gather(
      **w, &g, [&] { return g.events.size() >= kThreads * kPuts; }, 30s))
      << g.failure.message();
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(g.events.size(), static_cast<size_t>(kThreads * kPuts));
  EXPECT_EQ(client->GetPrefix("/mt/")->kvs.size(), static_cast<size_t>(kThreads * kPuts));
}

// ---------------------------------------------------------------------------
// Security

TEST_F(EtcdClientTest, TlsWithClientCertificates) {
  EtcdClusterOptions opts;
  opts.tls = true;
  opts.client_cert_auth = true;
  BERTH_START_ETCD(cluster, opts);
  ASSERT_TRUE(cluster->endpoint(0).starts_with("https://"));

  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  auto put = client->Put("/tls/k", "v");
  ASSERT_TRUE(put.has_value()) << put.error().message();
  auto got = client->Get("/tls/k");
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->value, "v");
  auto w = client->Watch("/tls/", *put + 0);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  auto b = (*w)->Next(5s);
  ASSERT_TRUE(b.has_value()) << b.error().message();
  EXPECT_EQ(b->events.at(0).key, "/tls/k");

  // "host:port" with the TLS files given also means TLS.
  ClientOptions bare = cluster->ClientOptions();
  bare.endpoints = {cluster->endpoint(0).substr(std::string("https://").size())};
  auto bare_client = NewClient(bare);
  ASSERT_TRUE(bare_client);
  EXPECT_TRUE(bare_client->Get("/tls/k").has_value());

  // Without the client certificate the server refuses us.
  ClientOptions no_cert = cluster->ClientOptions();
  no_cert.cert_file.clear();
  no_cert.key_file.clear();
  no_cert.request_timeout = 1500ms;
  auto refused = NewClient(no_cert)->Get("/tls/k");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message().find(cluster->endpoint(0)), std::string::npos)
      << refused.error().message();

  // Without our CA the server's certificate is not trusted.
  ClientOptions no_ca = cluster->ClientOptions();
  no_ca.ca_file.clear();
  no_ca.request_timeout = 1500ms;
  EXPECT_FALSE(NewClient(no_ca)->Get("/tls/k").has_value());
}

TEST_F(EtcdClientTest, AuthenticatesAndRenewsExpiredTokens) {
  EtcdClusterOptions opts;
  opts.auth = true;
  opts.auth_token_ttl_seconds = 2;
  BERTH_START_ETCD(cluster, opts);
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  auto put = client->Put("/auth/k", "v1");
  ASSERT_TRUE(put.has_value()) << put.error().message();
  EXPECT_EQ(client->authentications(), 1u);

  // Let the token expire: etcd logs when it drops one.
  constexpr std::string_view kDropped = "deleted a simple token";
  auto expire = [&] {
    const size_t before = cluster->CountInLog(0, kDropped);
    return WaitFor([&] { return cluster->CountInLog(0, kDropped) > before; }, 15s, 50ms);
  };
  ASSERT_TRUE(expire()) << "the token did not expire";
  auto got = client->Get("/auth/k");
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_EQ((*got)->value, "v1");
  EXPECT_EQ(client->authentications(), 2u);

  // A watch opened with an expired token renews it too.
  ASSERT_TRUE(expire()) << "the token did not expire";
  auto w = client->Watch("/auth/", 0);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  EXPECT_EQ(client->authentications(), 3u);
  ASSERT_TRUE(client->Put("/auth/k", "v2").has_value());
  auto b = (*w)->Next(5s);
  ASSERT_TRUE(b.has_value()) << b.error().message();
  EXPECT_EQ(b->events.at(0).value, "v2");

  // Wrong password: a clear error, not a retry loop.
  ClientOptions wrong = cluster->ClientOptions();
  wrong.password = "wrong";
  auto bad = NewClient(wrong)->Get("/auth/k");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), Code::kInvalidArgument) << bad.error().message();
  EXPECT_NE(bad.error().message().find("authentication failed"), std::string::npos)
      << bad.error().message();

  // No credentials at all.
  ClientOptions anonymous = cluster->ClientOptions();
  anonymous.username.clear();
  anonymous.password.clear();
  auto anon = NewClient(anonymous)->Get("/auth/k");
  ASSERT_FALSE(anon.has_value());
  EXPECT_NE(anon.error().message().find("user name is empty"), std::string::npos)
      << anon.error().message();
}

// ---------------------------------------------------------------------------
// Clusters

TEST_F(EtcdClientTest, FailsOverWhenTheMemberGoesAway) {
  EtcdClusterOptions opts;
  opts.members = 3;
  BERTH_START_ETCD(cluster, opts);
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);

  auto members = client->MemberList();
  ASSERT_TRUE(members.has_value()) << members.error().message();
  EXPECT_EQ(members->size(), 3u);
  int leaders = 0;
  for (const std::string& ep : cluster->endpoints()) {
    auto st = client->GetStatus(ep);
    ASSERT_TRUE(st.has_value()) << st.error().message();
    EXPECT_EQ(st->version, "3.4.23");
    leaders += st->is_leader();
  }
  EXPECT_EQ(leaders, 1);

  ASSERT_TRUE(client->Put("/fo/0", "0").has_value());
  const int used = cluster->MemberOf(client->CurrentEndpoint());
  ASSERT_GE(used, 0);
  ASSERT_TRUE(cluster->Stop(used, SIGKILL).ok());

  for (int i = 1; i <= 20; ++i) {
    auto r = client->Put("/fo/" + std::to_string(i), std::to_string(i));
    ASSERT_TRUE(r.has_value()) << "put " << i << ": " << r.error().message();
  }
  EXPECT_NE(cluster->MemberOf(client->CurrentEndpoint()), used);
  auto all = client->GetPrefix("/fo/");
  ASSERT_TRUE(all.has_value()) << all.error().message();
  EXPECT_EQ(all->kvs.size(), 21u);
  auto st = client->GetStatus(cluster->endpoint(used));
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code(), Code::kUnavailable) << st.error().message();

  // The member comes back and serves again.
  ASSERT_TRUE(cluster->Restart(used).ok());
  ClientOptions only = cluster->ClientOptions();
  only.endpoints = {cluster->endpoint(used)};
  auto again = NewClient(only)->Get("/fo/20");
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_EQ((*again)->value, "20");
}

// ---------------------------------------------------------------------------
// Watch

TEST_F(EtcdClientTest, WatchDeliversEventsInOrder) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  auto start = client->Put("/elsewhere", "x");
  ASSERT_TRUE(start.has_value());
  // Written before the watch opens, delivered because the watch starts earlier.
  ASSERT_TRUE(client->Put("/w/a", "1").has_value());
  auto w = client->Watch("/w/", *start + 1);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  ASSERT_TRUE(client->Put("/w/b", "2").has_value());
  ASSERT_TRUE(client->Put("/other", "ignored").has_value());
  ASSERT_TRUE(client->PutMany({{"/w/c", "3"}, {"/w/d", "4"}}).has_value());
  ASSERT_TRUE(client->Delete("/w/a").has_value());

  Gathered g;
  ASSERT_TRUE(Gather(
      **w, &g, [&] { return g.events.size() >= 5; }, 10s))
      << g.failure.message();
  ASSERT_EQ(g.events.size(), 5u);
  const char* keys[] = {"/w/a", "/w/b", "/w/c", "/w/d", "/w/a"};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(g.events[i].key, keys[i]);
  EXPECT_EQ(g.events[0].value, "1");
  EXPECT_EQ(g.events[4].type, WatchEvent::Type::kDelete);
  EXPECT_EQ(g.events[1].type, WatchEvent::Type::kPut);
  // c and d came in one transaction: one revision.
  EXPECT_EQ(g.events[2].mod_revision, g.events[3].mod_revision);
  EXPECT_EQ(g.events[0].mod_revision, *start + 1);
  EXPECT_EQ(g.events[1].mod_revision, *start + 2);
  EXPECT_EQ(g.events[2].mod_revision, *start + 4);
  EXPECT_EQ(g.events[4].mod_revision, *start + 5);

  // Nothing more: Next times out.
  auto idle = (*w)->Next(100ms);
  ASSERT_FALSE(idle.has_value());
  EXPECT_EQ(idle.error().code(), Code::kTimeout);

  // A watch "from now" sees only what follows.
  auto now = client->Watch("/w/", 0);
  ASSERT_TRUE(now.has_value());
  auto put = client->Put("/w/e", "5");
  ASSERT_TRUE(put.has_value());
  auto b = (*now)->Next(5s);
  ASSERT_TRUE(b.has_value()) << b.error().message();
  ASSERT_EQ(b->events.size(), 1u);
  EXPECT_EQ(b->events[0].key, "/w/e");
  EXPECT_EQ(b->revision, *put);
}

TEST_F(EtcdClientTest, WatchCloseFromAnotherThreadWakesNext) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  auto w = client->Watch("/close/", 0);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  WatchStream* stream = w->get();
  std::atomic<bool> entered{false};
  std::thread closer([&] {
    WaitFor([&] { return entered.load(); }, 5s, 1ms);
    std::this_thread::sleep_for(50ms);  // let Next block
    stream->Close();
  });
  const auto start = std::chrono::steady_clock::now();
  entered = true;
  auto b = stream->Next(30s);
  const auto took = std::chrono::steady_clock::now() - start;
  closer.join();
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code(), Code::kCancelled) << b.error().message();
  EXPECT_LT(took, 5s);
  EXPECT_EQ(stream->Next(10ms).error().code(), Code::kCancelled);
  // The stream may outlive its client.
  client.reset();
  w->reset();
}

TEST_F(EtcdClientTest, WatchReportsProgressWhenIdle) {
  EtcdClusterOptions opts;
  opts.progress_notify_interval = "200ms";
  BERTH_START_ETCD(cluster, opts);
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  auto w = client->Watch("/quiet/", 0);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  auto elsewhere = client->Put("/loud", "x");
  ASSERT_TRUE(elsewhere.has_value());
  Gathered g;
  ASSERT_TRUE(Gather(
      **w, &g, [&] { return !g.progress.empty() && g.progress.back() >= *elsewhere; }, 10s))
      << g.failure.message();
  EXPECT_TRUE(g.events.empty());
  EXPECT_TRUE(std::is_sorted(g.progress.begin(), g.progress.end()));
  // A change after the progress still arrives.
  auto put = client->Put("/quiet/k", "v");
  ASSERT_TRUE(put.has_value());
  ASSERT_TRUE(Gather(
      **w, &g, [&] { return !g.events.empty(); }, 10s))
      << g.failure.message();
  EXPECT_EQ(g.events[0].mod_revision, *put);
}

// Restarts etcd (SIGKILL: a crash) in the middle of a stream of puts; the
// watcher must see every revision exactly once, in order.
TEST_F(EtcdClientTest, WatchResumesAfterRestartWithoutLossOrDuplicates) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto writer_client = NewClient(cluster->ClientOptions());
  auto watcher_client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(writer_client && watcher_client);
  auto start = writer_client->Put("/start", "x");
  ASSERT_TRUE(start.has_value());
  auto w = watcher_client->Watch("/resume/", *start + 1);
  ASSERT_TRUE(w.has_value()) << w.error().message();

  constexpr int kPuts = 400;
  std::atomic<bool> writer_done{false};
  std::chrono::milliseconds slowest_put{0};
  std::thread writer([&] {
    for (int i = 0; i < kPuts; ++i) {
      PutUntilDone(*writer_client, Key("/resume/", i % 50), std::to_string(i), &slowest_put);
    }
    writer_done = true;
  });
  Gathered g;
  bool restarted = false;
  Status restart_status;
  int64_t last = -1;
  const bool ok = Gather(
      **w, &g,
      [&] {
        if (!writer_done || last < 0) {
          if (writer_done) {
            auto head = writer_client->GetPrefix("/resume/");
            if (head) last = head->revision;
          }
          return false;
        }
        return !g.events.empty() && g.events.back().mod_revision >= last;
      },
      90s,
      [&] {
        if (!restarted && g.events.size() >= kPuts / 4) {
          restarted = true;
          restart_status = cluster->Stop(0, SIGKILL);
          if (restart_status.ok()) restart_status = cluster->Restart(0);
        }
      });
  writer.join();
  std::printf("slowest put across the restart: %lld ms\n",
              static_cast<long long>(slowest_put.count()));
  ASSERT_TRUE(restarted);
  ASSERT_TRUE(restart_status.ok()) << restart_status.message();
  ASSERT_TRUE(ok) << g.failure.message() << " (" << g.events.size() << " events)";
  ExpectContiguous(g.events, *start + 1, last);
  std::set<std::string> values;
  for (const WatchEvent& e : g.events) values.insert(e.value);
  EXPECT_EQ(values.size(), static_cast<size_t>(kPuts));
}

// etcd stays down for a while (longer than gRPC's first reconnection
// attempt), then comes back: a client that only makes calls and one that
// only watches both reconnect on their own.  (gRPC makes progress on a
// connection only while someone polls the channel: a call that fails at once
// on a failed channel, or a watch that does, would never reconnect.)
TEST_F(EtcdClientTest, CallsAndWatchReconnectAfterALongOutage) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto caller = NewClient(cluster->ClientOptions());
  auto watcher = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(caller && watcher);
  auto start = caller->Put("/outage/k", "before");
  ASSERT_TRUE(start.has_value());
  auto w = watcher->Watch("/outage/", *start + 1);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  ASSERT_TRUE(cluster->Stop(0, SIGKILL).ok());

  // Down for two seconds, while the watch keeps reporting that it is
  // reconnecting and a put keeps failing.
  const auto down_since = std::chrono::steady_clock::now();
  int unavailable = 0;
  while (std::chrono::steady_clock::now() - down_since < 2s) {
    auto b = (*w)->Next(200ms);
    ASSERT_FALSE(b.has_value()) << "an event while etcd is down";
    if (b.error().code() == Code::kUnavailable) ++unavailable;
  }
  EXPECT_GT(unavailable, 0);
  ClientOptions quick = cluster->ClientOptions();
  quick.request_timeout = 500ms;
  auto quick_caller = NewClient(quick);
  ASSERT_TRUE(quick_caller);
  EXPECT_FALSE(quick_caller->Put("/outage/k", "down").has_value());

  Status restarted = cluster->Restart(0);
  ASSERT_TRUE(restarted.ok()) << restarted.message();
  const auto up = std::chrono::steady_clock::now();
  auto put = caller->Put("/outage/k", "after");
  ASSERT_TRUE(put.has_value()) << put.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - up, 5s);
  auto quick_put = PutUntilDone(*quick_caller, "/outage/q", "after");
  EXPECT_LT(std::chrono::steady_clock::now() - up, 5s);
  Gathered g;
  ASSERT_TRUE(Gather(
      **w, &g, [&] { return g.events.size() >= 2; }, 10s))
      << g.failure.message();
  EXPECT_EQ(g.events[0].mod_revision, *put);
  EXPECT_EQ(g.events[0].value, "after");
  EXPECT_EQ(g.events[1].mod_revision, quick_put);
}

TEST_F(EtcdClientTest, WatchReportsCompaction) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  std::vector<int64_t> revs;
  for (int i = 0; i < 10; ++i) revs.push_back(*client->Put(Key("/c/", i), "v"));
  ASSERT_TRUE(client->Compact(revs[7]).ok());

  // Starting before the compaction point.
  auto w = client->Watch("/c/", revs[2]);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  auto b = (*w)->Next(5s);
  ASSERT_TRUE(b.has_value()) << b.error().message();
  EXPECT_EQ(b->kind, WatchBatch::Kind::kCompacted);
  EXPECT_EQ(b->compact_revision, revs[7]);
  auto after = (*w)->Next(10ms);
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code(), Code::kFailedPrecondition);

  // Compacted past the watcher while it was disconnected: reported when
  // it resumes.
  auto w2 = client->Watch("/c/", revs[9] + 1);
  ASSERT_TRUE(w2.has_value());
  auto seen = client->Put("/c/x", "1");
  ASSERT_TRUE(seen.has_value());
  auto b2 = (*w2)->Next(5s);
  ASSERT_TRUE(b2.has_value()) << b2.error().message();
  ASSERT_EQ(b2->kind, WatchBatch::Kind::kEvents);
  EXPECT_EQ(b2->revision, *seen);
  ASSERT_TRUE(cluster->Stop(0, SIGKILL).ok());
  ASSERT_TRUE(cluster->Restart(0).ok());
  int64_t head = 0;
  for (int i = 0; i < 5; ++i) head = *client->Put("/c/y", std::to_string(i));
  ASSERT_TRUE(client->Compact(head).ok());
  Gathered g;
  WatchBatch got;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no compaction reported";
    auto n = (*w2)->Next(500ms);
    if (!n) {
      ASSERT_TRUE(n.error().code() == Code::kUnavailable || n.error().code() == Code::kTimeout)
          << n.error().message();
      continue;
    }
    got = *n;
    break;
  }
  EXPECT_EQ(got.kind, WatchBatch::Kind::kCompacted);
  EXPECT_EQ(got.compact_revision, head);
  EXPECT_EQ(got.revision, *seen);
}

// Kills the leader (the member the watcher is connected to) while puts go
// on; nothing is lost, repeated or reordered.
TEST_F(EtcdClientTest, WatchSurvivesLeaderKill) {
  EtcdClusterOptions opts;
  opts.members = 3;
  BERTH_START_ETCD(cluster, opts);
  auto leader = cluster->WaitForLeader();
  ASSERT_TRUE(leader.has_value()) << leader.error().message();
  ClientOptions leader_first = cluster->ClientOptions();
  std::rotate(leader_first.endpoints.begin(), leader_first.endpoints.begin() + *leader,
              leader_first.endpoints.end());
  auto writer_client = NewClient(cluster->ClientOptions());
  auto watcher_client = NewClient(leader_first);
  ASSERT_TRUE(writer_client && watcher_client);
  auto start = writer_client->Put("/start", "x");
  ASSERT_TRUE(start.has_value());
  auto w = watcher_client->Watch("/lk/", *start + 1);
  ASSERT_TRUE(w.has_value()) << w.error().message();

  constexpr int kPuts = 400;
  std::atomic<bool> writer_done{false};
  std::chrono::milliseconds slowest_put{0};
  std::thread writer([&] {
    for (int i = 0; i < kPuts; ++i) {
      PutUntilDone(*writer_client, Key("/lk/", i % 50), std::to_string(i), &slowest_put);
    }
    writer_done = true;
  });
  Gathered g;
  bool killed = false;
  Status kill_status;
  int64_t last = -1;
  const bool ok = Gather(
      **w, &g,
      [&] {
        if (!writer_done || last < 0) {
          if (writer_done) {
            auto head = writer_client->GetPrefix("/lk/");
            if (head) last = head->revision;
          }
          return false;
        }
        return !g.events.empty() && g.events.back().mod_revision >= last;
      },
      90s,
      [&] {
        if (!killed && g.events.size() >= kPuts / 4) {
          killed = true;
          kill_status = cluster->Stop(*leader, SIGKILL);
        }
      });
  writer.join();
  std::printf("slowest put across the leader kill: %lld ms\n",
              static_cast<long long>(slowest_put.count()));
  ASSERT_TRUE(killed);
  ASSERT_TRUE(kill_status.ok()) << kill_status.message();
  ASSERT_TRUE(ok) << g.failure.message() << " (" << g.events.size() << " events)";
  ExpectContiguous(g.events, *start + 1, last);
  std::set<std::string> values;
  for (const WatchEvent& e : g.events) values.insert(e.value);
  EXPECT_EQ(values.size(), static_cast<size_t>(kPuts));
  auto new_leader = cluster->WaitForLeader();
  ASSERT_TRUE(new_leader.has_value());
  EXPECT_NE(*new_leader, *leader);
}

// An endpoint that accepts TCP connections and then says nothing (a
// listening socket nobody serves) costs a dial or attempt timeout, once.
TEST_F(EtcdClientTest, SkipsAnEndpointThatNeverAnswers) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  const int silent = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(silent, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(silent, 16), 0);
  ASSERT_EQ(getsockname(silent, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string silent_endpoint = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  ClientOptions o = cluster->ClientOptions();
  o.endpoints.insert(o.endpoints.begin(), silent_endpoint);
  o.dial_timeout = 500ms;
  o.attempt_timeout = 1s;
  auto client = NewClient(o);
  ASSERT_TRUE(client);
  const auto t0 = std::chrono::steady_clock::now();
  auto put = client->Put("/silent/k", "v");
  ASSERT_TRUE(put.has_value()) << put.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_EQ(client->CurrentEndpoint(), cluster->endpoint(0));

  auto watcher = NewClient(o);  // starts at the silent endpoint again
  ASSERT_TRUE(watcher);
  const auto t1 = std::chrono::steady_clock::now();
  auto w = watcher->Watch("/silent/", *put);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - t1, 3s);
  auto b = (*w)->Next(5s);
  ASSERT_TRUE(b.has_value()) << b.error().message();
  EXPECT_EQ(b->revision, *put);
  close(silent);
}

// A member that hangs (SIGSTOP) keeps its connections open and answers
// nothing: calls move on after attempt_timeout, the watch after keepalive
// declares the connection dead.
TEST_F(EtcdClientTest, CallsAndWatchMoveOffAFrozenMember) {
  EtcdClusterOptions opts;
  opts.members = 3;
  opts.extra_flags = {"--grpc-keepalive-min-time=500ms"};
  BERTH_START_ETCD(cluster, opts);
  auto leader = cluster->WaitForLeader();
  ASSERT_TRUE(leader.has_value()) << leader.error().message();
  const int frozen = (*leader + 1) % 3;  // a follower: the others keep a quorum and a leader
  ClientOptions o = cluster->ClientOptions();
  std::rotate(o.endpoints.begin(), o.endpoints.begin() + frozen, o.endpoints.end());
  o.keepalive_time = 1s;
  o.keepalive_timeout = 1s;
  o.attempt_timeout = 1500ms;
  auto client = NewClient(o);
  auto watcher_client = NewClient(o);
  ASSERT_TRUE(client && watcher_client);
  auto start = client->Put("/start", "x");
  ASSERT_TRUE(start.has_value()) << start.error().message();
  ASSERT_EQ(cluster->MemberOf(client->CurrentEndpoint()), frozen);
  auto w = watcher_client->Watch("/fz/", *start + 1);
  ASSERT_TRUE(w.has_value()) << w.error().message();

  ASSERT_TRUE(cluster->Pause(frozen).ok());
  const auto t0 = std::chrono::steady_clock::now();
  constexpr int kPuts = 20;
  int64_t last = 0;
  for (int i = 0; i < kPuts; ++i) {
    auto r = client->Put(Key("/fz/", i), std::to_string(i));
    ASSERT_TRUE(r.has_value()) << "put " << i << ": " << r.error().message();
    last = *r;
  }
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_NE(cluster->MemberOf(client->CurrentEndpoint()), frozen);
  EXPECT_LT(took, 5s);

  Gathered g;
  ASSERT_TRUE(Gather(
      **w, &g, [&] { return !g.events.empty() && g.events.back().mod_revision >= last; }, 20s))
      << g.failure.message() << " (" << g.events.size() << " events)";
  ExpectContiguous(g.events, *start + 1, last);
  ASSERT_TRUE(cluster->Resume(frozen).ok());
}

// ---------------------------------------------------------------------------
// Leases

TEST_F(EtcdClientTest, LeasesKeepKeysAliveAndExpire) {
  BERTH_START_ETCD(cluster, EtcdClusterOptions{});
  auto client = NewClient(cluster->ClientOptions());
  ASSERT_TRUE(client);
  auto lease = client->GrantLease(2);
  ASSERT_TRUE(lease.has_value()) << lease.error().message();
  ASSERT_TRUE(client->Put("/lease/k", "v", *lease).has_value());
  auto kv = client->Get("/lease/k");
  ASSERT_TRUE(kv.has_value() && kv->has_value());
  EXPECT_EQ((*kv)->lease, *lease);
  auto ttl = client->LeaseTimeToLive(*lease);
  ASSERT_TRUE(ttl.has_value()) << ttl.error().message();
  EXPECT_GT(*ttl, 0);
  EXPECT_LE(*ttl, 2);

  // Kept alive (every 500 ms) for twice its TTL, the key stays.
  const auto keep_until = std::chrono::steady_clock::now() + 4s;
  bool kept = true;
  WaitFor(
      [&] {
        auto renewed = client->KeepAliveOnce(*lease);
        auto still = client->Get("/lease/k");
        kept =
            kept && renewed.has_value() && *renewed == 2 && still.has_value() && still->has_value();
        return !kept || std::chrono::steady_clock::now() >= keep_until;
      },
      10s, 500ms);
  ASSERT_TRUE(kept) << "the key expired while kept alive";

  // Left alone, it expires and takes the key with it.
  EXPECT_TRUE(WaitFor(
      [&] {
        auto r = client->Get("/lease/k");
        return r.has_value() && !r->has_value();
      },
      10s, 100ms));
  auto dead = client->KeepAliveOnce(*lease);
  ASSERT_TRUE(dead.has_value()) << dead.error().message();
  EXPECT_EQ(*dead, 0);
  EXPECT_EQ(*client->LeaseTimeToLive(*lease), -1);

  // Revoking deletes at once; revoking twice is fine.
  auto lease2 = client->GrantLease(60);
  ASSERT_TRUE(lease2.has_value());
  ASSERT_TRUE(client->Put("/lease/k2", "v", *lease2).has_value());
  ASSERT_TRUE(client->RevokeLease(*lease2).ok());
  EXPECT_FALSE(client->Get("/lease/k2")->has_value());
  EXPECT_TRUE(client->RevokeLease(*lease2).ok());

  // A lease that does not exist cannot carry a key.
  auto orphan = client->Put("/lease/k3", "v", 12345);
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code(), Code::kNotFound) << orphan.error().message();
}

}  // namespace
}  // namespace berth::etcd
