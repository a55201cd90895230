// The Client over libcurl: one easy handle per request (so that a Client is
// shared between threads without locks), a multi handle per event stream (so
// that Next can wait with a deadline and Close can wake it from another
// thread with curl_multi_wakeup).
#include "docker/client.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "docker/wire.h"

namespace berth::docker {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Bodies larger than this are a broken daemon (or not dockerd at all).
constexpr size_t kMaxBody = 64 << 20;
// An event line longer than this is not an event.
constexpr size_t kMaxEventLine = 4 << 20;

Status InitCurl() {
  // Once per process, before any handle; magic statics make it thread-safe.
  static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) {
    return Status::Internal(std::string("curl_global_init: ") + curl_easy_strerror(rc));
  }
  return Status::Ok();
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
using MultiHandle = std::unique_ptr<CURLM, MultiDeleter>;

long Millis(milliseconds d) { return static_cast<long>(std::max<int64_t>(d.count(), 1)); }

// Percent-encodes everything but RFC 3986's unreserved characters and
// `keep`.
std::string Escape(std::string_view s, std::string_view keep = "") {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// What to check when dockerd cannot be reached.
std::string Hint(const DaemonAddress& a) {
  if (a.kind == DaemonAddress::Kind::kUnix) {
    return "is dockerd running and is the socket accessible?";
  }
  return "is dockerd running and listening on " + a.ToString() + " (dockerd -H " + a.ToString() +
         ")?";
}

// The request-independent settings: where dockerd is, no proxy from the
// environment, no signals (threads), our error buffer.
void ConfigureHandle(CURL* easy, const DaemonAddress& a, const std::string& url,
                     milliseconds connect_timeout, char* errbuf) {
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  if (a.kind == DaemonAddress::Kind::kUnix) {
    curl_easy_setopt(easy, CURLOPT_UNIX_SOCKET_PATH, a.socket_path.c_str());
  } else {
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPINTVL, 10L);
  }
  curl_easy_setopt(easy, CURLOPT_PROXY, "");
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, Millis(connect_timeout));
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "berth");
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
  errbuf[0] = '\0';
}

// A failed transfer, as the caller should read it.  `request` is
// "GET /containers/x/json"; `sent` says whether the request reached dockerd.
Status TransportError(const DaemonAddress& a, CURLcode rc, CURL* easy, const char* errbuf,
                      std::string_view request, milliseconds timeout) {
  long os_errno = 0;
  curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
  long request_size = 0;
  curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &request_size);
  const bool sent = request_size > 0;
  std::string detail;
  if (!sent && os_errno != 0) {
    detail = std::string("connect: ") + std::strerror(static_cast<int>(os_errno));
  } else if (errbuf != nullptr && errbuf[0] != '\0') {
    detail = errbuf;
  } else {
    detail = curl_easy_strerror(rc);
  }
  const std::string where = a.ToString();
  if (!sent) {
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      detail = "no connection within " + std::to_string(timeout.count()) + " ms";
    }
    return Status::Unavailable("cannot reach dockerd at " + where + ": " + detail + " — " +
                               Hint(a));
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return Status::Timeout("dockerd at " + where + " did not answer " + std::string(request) +
                           " within " + std::to_string(timeout.count()) + " ms");
  }
  return Status::Unavailable("dockerd at " + where + " broke off " + std::string(request) + ": " +
                             detail);
}

// An HTTP answer other than success, with dockerd's message.
Status HttpError(long status, std::string_view body, std::string_view request) {
  const std::string said = ErrorMessage(status, body);
  std::string message = std::string(request) + ": " + said;
  switch (status) {
    case 400:
      return Status::InvalidArgument(std::move(message));
    case 404:
      return Status::NotFound(std::move(message));
    case 401:
    case 403:
    case 409:
      return Status::FailedPrecondition(std::move(message));
    default:
      if (said.starts_with("HTTP ")) return Status::Internal(std::move(message));
      return Status::Internal(std::move(message) + " (HTTP " + std::to_string(status) + ")");
  }
}

size_t AppendBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * n;
  if (body->size() + bytes > kMaxBody) return 0;  // CURLE_WRITE_ERROR
  body->append(data, bytes);
  return bytes;
}

// The request line without the query, for messages.
std::string RequestName(std::string_view method, std::string_view path) {
  return std::string(method) + " " + std::string(path.substr(0, path.find('?')));
}

class CurlEventStream final : public EventStream {
 public:
  // Sends GET `url` and waits (until `timeout`) for dockerd's headers.
  static Result<EventStreamPtr> Open(const DaemonAddress& address, const std::string& url,
                                     std::string_view request, milliseconds timeout) {
    std::unique_ptr<CurlEventStream> s(new CurlEventStream(address));
    s->multi_.reset(curl_multi_init());
    s->easy_.reset(curl_easy_init());
    if (!s->multi_ || !s->easy_) return Err(Status::Internal("curl: cannot allocate a handle"));
    CURL* easy = s->easy_.get();
    ConfigureHandle(easy, address, url, timeout, s->errbuf_);
    curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &CurlEventStream::OnData);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, s.get());
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &CurlEventStream::OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, s.get());
    if (curl_multi_add_handle(s->multi_.get(), easy) != CURLM_OK) {
      return Err(Status::Internal("curl_multi_add_handle failed"));
    }
    s->attached_ = true;

    const auto deadline = Clock::now() + timeout;
    while (!s->headers_done_ && !s->transfer_done_) {
      s->Perform();
      if (s->headers_done_ || s->transfer_done_) break;
      const auto now = Clock::now();
      if (now >= deadline) {
        return Err(Status::Timeout("dockerd at " + address.ToString() + " did not answer " +
                                   std::string(request) + " within " +
                                   std::to_string(timeout.count()) + " ms"));
      }
      s->Poll(std::chrono::duration_cast<milliseconds>(deadline - now));
    }
    if (!s->headers_done_ && s->result_ != CURLE_OK) {
      return Err(TransportError(address, s->result_, easy, s->errbuf_, request, timeout));
    }
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
      // An error body is short and complete: read it for dockerd's message.
      while (!s->transfer_done_ && Clock::now() < deadline) {
        s->Poll(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()));
        s->Perform();
      }
      return Err(HttpError(status, s->buffer_, request));
    }
    return EventStreamPtr(std::move(s));
  }

  ~CurlEventStream() override { Detach(); }

  Result<Event> Next(milliseconds timeout) override {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      if (closed_.load(std::memory_order_acquire)) {
        return Err(Status::Cancelled("the event stream from dockerd was closed"));
      }
      // Whole lines first: events that came before a break still count.
      std::string_view line;
      while (TakeLine(&line)) {
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        bool is_container = false;
        auto event = ParseEvent(line, &is_container);
        if (!event) {
          End(Status::Unavailable("dockerd at " + address_.ToString() +
                                  " sent a malformed event: " + event.error().message()),
              /*drop_unread=*/true);
          break;
        }
        if (is_container) return event;
      }
      if (!end_.ok()) return Err(end_);
      Perform();
      if (HasLine() || !end_.ok()) continue;
      const auto now = Clock::now();
      if (now >= deadline) {
        return Err(Status::Timeout("no container event within " + std::to_string(timeout.count()) +
                                   " ms"));
      }
      Poll(std::chrono::duration_cast<milliseconds>(deadline - now));
    }
  }

  void Close() override {
    closed_.store(true, std::memory_order_release);
    curl_multi_wakeup(multi_.get());
  }

 private:
  explicit CurlEventStream(const DaemonAddress& address) : address_(address) {}

  static size_t OnData(char* data, size_t size, size_t n, void* user) {
    auto* self = static_cast<CurlEventStream*>(user);
    const size_t bytes = size * n;
    if (self->buffer_.size() - self->consumed_ + bytes > kMaxEventLine &&
        std::memchr(data, '\n', bytes) == nullptr) {
      self->overflow_ = true;
      return 0;  // CURLE_WRITE_ERROR
    }
    self->buffer_.append(data, bytes);
    return bytes;
  }

  static size_t OnHeader(char* data, size_t size, size_t n, void* user) {
    auto* self = static_cast<CurlEventStream*>(user);
    const size_t bytes = size * n;
    const std::string_view line(data, bytes);
    if (line == "\r\n" || line == "\n") {
      long status = 0;
      curl_easy_getinfo(self->easy_.get(), CURLINFO_RESPONSE_CODE, &status);
      if (status >= 200) self->headers_done_ = true;  // not after "100 Continue"
    }
    return bytes;
  }

  // Moves the transfer on without blocking, and notes its end.
  void Perform() {
    if (!attached_) return;
    int running = 0;
    const CURLMcode mc = curl_multi_perform(multi_.get(), &running);
    if (mc != CURLM_OK) {
      transfer_done_ = true;
      result_ = CURLE_RECV_ERROR;
      End(Status::Unavailable("the event stream from dockerd at " + address_.ToString() +
                              " failed: " + curl_multi_strerror(mc)));
      return;
    }
    int queued = 0;
    while (CURLMsg* m = curl_multi_info_read(multi_.get(), &queued)) {
      if (m->msg != CURLMSG_DONE) continue;
      transfer_done_ = true;
      result_ = m->data.result;
      if (!headers_done_) continue;  // Open reports it
      if (overflow_) {
        End(Status::Unavailable("dockerd at " + address_.ToString() + " sent an event line over " +
                                std::to_string(kMaxEventLine) + " bytes"));
      } else if (result_ == CURLE_OK) {
        End(Status::Unavailable("dockerd at " + address_.ToString() +
                                " ended the event stream (did it stop?)"));
      } else {
        const std::string detail = errbuf_[0] != '\0' ? errbuf_ : curl_easy_strerror(result_);
        End(Status::Unavailable("the event stream from dockerd at " + address_.ToString() +
                                " broke: " + detail));
      }
    }
  }

  // Waits for the socket (or a wake-up from Close) for at most `wait`.
  void Poll(milliseconds wait) {
    // A wake-up sent before the poll starts is kept by curl (a socket pair),
    // so Close is never lost; the cap only bounds one call.
    const int ms = static_cast<int>(std::clamp<int64_t>(wait.count(), 1, 250));
    curl_multi_poll(multi_.get(), nullptr, 0, ms, nullptr);
  }

  bool HasLine() const { return buffer_.find('\n', consumed_) != std::string::npos; }

  // The next complete line (without its '\n'); valid until the next call.
  bool TakeLine(std::string_view* line) {
    if (consumed_ > 0 && consumed_ * 2 > buffer_.size()) {
      buffer_.erase(0, consumed_);
      consumed_ = 0;
    }
    const size_t nl = buffer_.find('\n', consumed_);
    if (nl == std::string::npos) return false;
    *line = std::string_view(buffer_).substr(consumed_, nl - consumed_);
    consumed_ = nl + 1;
    return true;
  }

  // The stream is over: every later Next reports `why`, once the complete
  // lines already received are read, unless `drop_unread`.  Drops the
  // connection.
  void End(Status why, bool drop_unread = false) {
    if (end_.ok()) end_ = std::move(why);
    if (drop_unread) {
      buffer_.clear();
      consumed_ = 0;
    }
    Detach();
  }

  void Detach() {
    if (attached_) {
      curl_multi_remove_handle(multi_.get(), easy_.get());
      attached_ = false;
    }
  }

  // Constant after construction.
  const DaemonAddress address_;
  // Declared before easy_ so that the easy handle is cleaned up first.
  MultiHandle multi_;
  EasyHandle easy_;

  // The owning thread's (inside Open and Next, and curl's callbacks there).
  bool attached_ = false;
  bool headers_done_ = false;
  bool transfer_done_ = false;
  bool overflow_ = false;
  CURLcode result_ = CURLE_OK;
  std::string buffer_;
  size_t consumed_ = 0;
  Status end_;
  char errbuf_[CURL_ERROR_SIZE] = {};

  // Any thread's.
  std::atomic<bool> closed_{false};
};

class CurlClient final : public Client {
 public:
  CurlClient(DaemonAddress address, ClientOptions options)
      : address_(std::move(address)),
        host_(address_.ToString()),
        base_url_(address_.BaseUrl()),
        options_(std::move(options)) {}

  // GET /version: the API version to speak from now on.
  Status Negotiate() {
    auto r = Call("GET", "/version", nullptr, options_.timeout, /*versioned=*/false);
    if (!r) return r.error();
    if (r->status != 200) return HttpError(r->status, r->body, "GET /version");
    auto info = NegotiateVersion(r->body);
    if (!info) return info.error().Wrap("dockerd at " + host_);
    api_version_ = info->api_version;
    daemon_version_ = info->daemon_version;
    return Status::Ok();
  }

  const std::string& host() const override { return host_; }
  const std::string& api_version() const override { return api_version_; }
  const std::string& daemon_version() const override { return daemon_version_; }

  Result<std::vector<ContainerSummary>> List(bool all, std::string_view label) override {
    std::string path = "/containers/json?all=";
    path += all ? "1" : "0";
    if (!label.empty()) path += "&filters=" + Escape(LabelFilter(label));
    auto r = Call("GET", path, nullptr, options_.timeout);
    if (!r) return Err(r.error());
    if (r->status != 200) return Err(HttpError(r->status, r->body, RequestName("GET", path)));
    return ParseContainerList(r->body);
  }

  Result<Container> Inspect(std::string_view id_or_name) override {
    if (id_or_name.empty()) return Err(Status::InvalidArgument("inspect: no container named"));
    const std::string path = "/containers/" + Escape(id_or_name) + "/json";
    auto r = Call("GET", path, nullptr, options_.timeout);
    if (!r) return Err(r.error());
    if (r->status != 200) return Err(HttpError(r->status, r->body, RequestName("GET", path)));
    return ParseContainer(r->body);
  }

  Result<bool> ImageExists(std::string_view image) override {
    if (image.empty()) return Err(Status::InvalidArgument("image inspect: no image named"));
    const std::string path = "/images/" + Escape(image, "/:@") + "/json";
    auto r = Call("GET", path, nullptr, options_.timeout);
    if (!r) return Err(r.error());
    if (r->status == 200) return true;
    if (r->status == 404) return false;
    return Err(HttpError(r->status, r->body, RequestName("GET", path)));
  }

  Result<std::string> Create(const CreateOptions& options) override {
    if (options.image.empty()) return Err(Status::InvalidArgument("create: no image"));
    std::string path = "/containers/create";
    if (!options.name.empty()) path += "?name=" + Escape(options.name);
    const std::string body = CreateBody(options);
    auto r = Call("POST", path, &body, options_.timeout);
    if (!r) return Err(r.error());
    if (r->status != 201) return Err(HttpError(r->status, r->body, RequestName("POST", path)));
    return ParseCreated(r->body);
  }

  Status Start(std::string_view id) override {
    const std::string path = "/containers/" + Escape(id) + "/start";
    return Expect("POST", path, options_.timeout);
  }

  Status Stop(std::string_view id, std::chrono::seconds timeout) override {
    const std::string path = "/containers/" + Escape(id) +
                             "/stop?t=" + std::to_string(std::max<int64_t>(0, timeout.count()));
    // dockerd answers once the container is gone: allow for the grace period.
    return Expect("POST", path, options_.timeout + timeout);
  }

  Status Remove(std::string_view id, bool force) override {
    const std::string path =
        "/containers/" + Escape(id) + "?v=1&force=" + std::string(force ? "1" : "0");
    return Expect("DELETE", path, options_.timeout);
  }

  Result<EventStreamPtr> Events() override {
    const std::string path = "/events?filters=" + Escape(ContainerEventsFilter());
    return CurlEventStream::Open(address_, Url(path, true), "GET /events", options_.timeout);
  }

 private:
  struct Response {
    long status = 0;
    std::string body;
  };

  std::string Url(std::string_view path, bool versioned) const {
    std::string url = base_url_;
    if (versioned) url += "/v" + api_version_;
    url += path;
    return url;
  }

  // A request without a useful answer body: 2xx and 304 (already in the
  // wanted state) are OK.
  Status Expect(std::string_view method, const std::string& path, milliseconds timeout) {
    auto r = Call(method, path, nullptr, timeout);
    if (!r) return r.error();
    if ((r->status >= 200 && r->status < 300) || r->status == 304) return Status::Ok();
    return HttpError(r->status, r->body, RequestName(method, path));
  }

  // One request on its own connection, with `timeout` for all of it.
  Result<Response> Call(std::string_view method, const std::string& path, const std::string* body,
                        milliseconds timeout, bool versioned = true) const {
    EasyHandle easy(curl_easy_init());
    if (!easy) return Err(Status::Internal("curl: cannot allocate a handle"));
    CURL* h = easy.get();
    char errbuf[CURL_ERROR_SIZE];
    const std::string url = Url(path, versioned);
    ConfigureHandle(h, address_, url, timeout, errbuf);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, Millis(timeout));
    HeaderList headers;
    if (method == "GET") {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (method == "POST") {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body ? body->size() : 0));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body->c_str() : "");
      // JSON bodies; never wait for "100 Continue".
      headers.reset(curl_slist_append(nullptr, "Content-Type: application/json"));
      if (headers) headers.reset(curl_slist_append(headers.release(), "Expect:"));
      curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    } else {
      const std::string custom(method);  // curl copies it
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, custom.c_str());
    }
    Response response;
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &AppendBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
    const CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
      if (rc == CURLE_WRITE_ERROR) {
        return Err(Status::Internal("dockerd at " + host_ + " answered " +
                                    RequestName(method, path) + " with over " +
                                    std::to_string(kMaxBody) + " bytes"));
      }
      return Err(TransportError(address_, rc, h, errbuf, RequestName(method, path), timeout));
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }

  // Constant after Connect.
  const DaemonAddress address_;
  const std::string host_;
  const std::string base_url_;
  const ClientOptions options_;
  std::string api_version_;
  std::string daemon_version_;
};

}  // namespace

Result<std::unique_ptr<Client>> Client::Connect(ClientOptions options) {
  BERTH_RETURN_IF_ERROR(InitCurl());
  if (options.timeout.count() <= 0) {
    return Err(Status::InvalidArgument("docker client: the request timeout must be positive"));
  }
  const char* env = std::getenv("DOCKER_HOST");
  auto address = ParseDaemonAddress(options.host, env != nullptr ? env : "");
  if (!address) return Err(address.error());
  auto client = std::make_unique<CurlClient>(std::move(*address), std::move(options));
  BERTH_RETURN_IF_ERROR(client->Negotiate());
  return std::unique_ptr<Client>(std::move(client));
}

}  // namespace berth::docker
