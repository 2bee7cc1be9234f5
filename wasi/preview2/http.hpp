// wasi:http 0.2 (issue 15): the host side of the `wasi:http/proxy` world,
// types and incoming-handler, for `wisp serve` (tools/cmd_serve.cpp).
//
//   fields             headers and trailers: names checked as RFC 9110
//                      tokens, values without CR, LF or NUL, the
//                      connection-level headers forbidden, immutable where
//                      the WIT says (a request's headers, trailers)
//   incoming-request   method, path-with-query, scheme, authority,
//                      headers, consume -> incoming-body (its stream reads
//                      the request body; finish -> future-trailers)
//   outgoing-response  status, headers, body -> outgoing-body (its stream
//                      collects the response body; finish with trailers)
//   response-outparam  set: the response, or an error (answered 500)
//   outgoing-handler   plain HTTP to the hosts Context::allow_http lists
//                      (HTTP-request-denied otherwise), sent through
//                      http_client.hpp when the guest asks for the response
//
// Bodies are buffers: the request body is read before the handler runs and
// the response body is sent when it returns.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wasi/preview2/host.hpp"

namespace wisp::wasi::p2 {

void define_http(component::ComponentLinker& linker, Context& ctx);

// A request as the server received it.
struct HttpRequest {
  std::string method, path_with_query, scheme = "http", authority;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// The handler's arguments for req: an own<incoming-request> and an
// own<response-outparam> (reps in ctx's table), and the slot the response
// will be in.
struct HttpCall {
  component::Value request, outparam;
  std::shared_ptr<HttpResponseSlot> slot;
};
HttpCall start_http_call(Context& ctx, HttpRequest req);

}  // namespace wisp::wasi::p2
