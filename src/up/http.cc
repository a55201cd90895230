#include "up/http.h"

#include <curl/curl.h>

#include <cstdlib>
#include <mutex>

namespace berth::up {

namespace {

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

}  // namespace

Result<HttpAnswer> HttpGet(const std::string& url, std::chrono::milliseconds timeout) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Err(Status::Internal("GET " + url + ": curl_easy_init failed"));
  HttpAnswer answer;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  const CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return Err(Status::Unavailable("GET " + url + ": " + curl_easy_strerror(rc)));
  }
  return answer;
}

std::optional<double> MetricValue(std::string_view page, std::string_view name) {
  while (!page.empty()) {
    const size_t nl = page.find('\n');
    std::string_view line = page.substr(0, nl);
    page = nl == std::string_view::npos ? std::string_view() : page.substr(nl + 1);
    if (!line.starts_with(name) || line.size() <= name.size() || line[name.size()] != ' ') {
      continue;
    }
    const std::string value(line.substr(name.size() + 1));
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (end != value.c_str()) return v;
  }
  return std::nullopt;
}

}  // namespace berth::up
