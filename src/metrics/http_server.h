// A minimal HTTP/1.1 server for /metrics and /healthz: GET only, one request
// per connection, answered by a handler function.  It listens on HOST:PORT
// (or :PORT); Serve() runs on the caller's thread until Stop().
//
// Thread-safety: Serve on one thread; Stop from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"

namespace berth::metrics {

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const std::string& path)>;

  // Binds and listens; port 0 picks a free port (see port()).
  static Result<std::unique_ptr<HttpServer>> Listen(const std::string& address, Handler handler);
  ~HttpServer();

  int port() const { return port_; }
  // Accepts and answers requests until Stop().
  void Serve();
  void Stop() { stop_.store(true); }

 private:
  HttpServer(int fd, int port, Handler handler)
      : fd_(fd), port_(port), handler_(std::move(handler)) {}
  void Answer(int client);

  const int fd_;
  const int port_;
  const Handler handler_;
  std::atomic<bool> stop_{false};
};

}  // namespace berth::metrics
