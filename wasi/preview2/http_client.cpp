// http_client.hpp: one request on a private event loop.
#include "wasi/preview2/http_client.hpp"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <cstring>
#include <memory>

namespace wisp::wasi::p2 {

namespace {

bool method_of(const std::string& m, evhttp_cmd_type& out) {
  static const std::pair<const char*, evhttp_cmd_type> kMethods[] = {
      {"GET", EVHTTP_REQ_GET},         {"POST", EVHTTP_REQ_POST},     {"HEAD", EVHTTP_REQ_HEAD},
      {"PUT", EVHTTP_REQ_PUT},         {"DELETE", EVHTTP_REQ_DELETE}, {"OPTIONS", EVHTTP_REQ_OPTIONS},
      {"TRACE", EVHTTP_REQ_TRACE},     {"CONNECT", EVHTTP_REQ_CONNECT}, {"PATCH", EVHTTP_REQ_PATCH}};
  for (const auto& [name, cmd] : kMethods)
    if (m == name) return out = cmd, true;
  return false;
}

struct Pending {
  HttpResult* result;
  event_base* base;
};

// The response (or the failure): recorded, and the loop stopped (a kept-
// alive connection would keep it running).
void on_response(evhttp_request* req, void* arg) {
  auto* pending = static_cast<Pending*>(arg);
  HttpResult* r = pending->result;
  event_base_loopbreak(pending->base);
  if (!req || evhttp_request_get_response_code(req) == 0) {
    r->error = "connection failed";
    return;
  }
  r->ok = true;
  r->status = uint16_t(evhttp_request_get_response_code(req));
  for (evkeyval* kv = evhttp_request_get_input_headers(req)->tqh_first; kv; kv = kv->next.tqe_next)
    r->headers.emplace_back(kv->key, kv->value);
  evbuffer* in = evhttp_request_get_input_buffer(req);
  r->body.resize(evbuffer_get_length(in));
  if (!r->body.empty()) evbuffer_copyout(in, r->body.data(), r->body.size());
}

}  // namespace

HttpResult http_fetch(const HttpMessage& m, int timeout_s) {
  HttpResult r;
  evhttp_cmd_type cmd;
  if (!method_of(m.method, cmd)) {
    r.error = "method " + m.method + " is not supported";
    return r;
  }
  const std::string authority = m.authority.value_or("");
  std::string host = authority;
  int port = 80;
  const size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    host = authority.substr(0, colon);
    port = atoi(authority.c_str() + colon + 1);
  }
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  std::unique_ptr<event_base, void (*)(event_base*)> base(event_base_new(), event_base_free);
  std::unique_ptr<evhttp_connection, void (*)(evhttp_connection*)> conn(
      evhttp_connection_base_new(base.get(), nullptr, host.c_str(), uint16_t(port)), evhttp_connection_free);
  if (!base || !conn) {
    r.error = "cannot connect";
    return r;
  }
  evhttp_connection_set_timeout(conn.get(), timeout_s);
  Pending pending{&r, base.get()};
  evhttp_request* req = evhttp_request_new(on_response, &pending);  // owned by the connection once made
  evkeyvalq* out = evhttp_request_get_output_headers(req);
  bool has_host = false;
  for (const auto& [n, v] : m.headers->entries) {
    has_host = has_host || strcasecmp(n.c_str(), "host") == 0;
    evhttp_add_header(out, n.c_str(), v.c_str());
  }
  if (!has_host) evhttp_add_header(out, "Host", authority.c_str());
  if (!m.body->empty()) evbuffer_add(evhttp_request_get_output_buffer(req), m.body->data(), m.body->size());
  const std::string path = m.path.value_or("/").empty() ? "/" : m.path.value_or("/");
  if (evhttp_make_request(conn.get(), req, cmd, path.c_str()) != 0) {
    r.error = "cannot send the request";
    return r;
  }
  event_base_dispatch(base.get());
  if (!r.ok && r.error.empty()) r.error = "no response";
  return r;
}

}  // namespace wisp::wasi::p2
