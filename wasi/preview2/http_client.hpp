// The HTTP client behind wasi:http/outgoing-handler (http.cpp): libevent's
// evhttp client (the library `wisp serve` serves with), plain HTTP/1.1,
// one blocking request at a time on its own event loop.
#pragma once
#include <string>
#include <vector>

#include "wasi/preview2/table.hpp"

namespace wisp::wasi::p2 {

struct HttpResult {
  bool ok = false;
  std::string error;  // when !ok: what failed (connect, timeout, ...)
  uint16_t status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Sends req (method, scheme, authority "host[:port]", path, headers, body)
// and waits for the whole response, at most timeout_s seconds.
HttpResult http_fetch(const HttpMessage& req, int timeout_s);

}  // namespace wisp::wasi::p2
